package io.sfsync.smt;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters of one transform instance: registered as a small MBean (JMX) and summarised at INFO at most once per
 * {@code summary.interval.ms}, when records flow (never one line per record).
 */
final class TransformMetrics implements TransformMetricsMBean, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransformMetrics.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong droppedSalesforceOrigin = new AtomicLong();
    private final AtomicLong echoesConfirmed = new AtomicLong();
    private final AtomicLong staleReads = new AtomicLong();
    private final AtomicLong droppedUnchanged = new AtomicLong();
    private final AtomicLong droppedTombstones = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong conflictsSalesforceWon = new AtomicLong();
    private final AtomicLong conflictsPostgresWon = new AtomicLong();
    private final AtomicLong conflictSendFailures = new AtomicLong();

    private final LongSupplier pendingRows;
    private final long summaryIntervalNanos;
    private final LongSupplier nanoClock;
    private long lastSummaryNanos;
    private ObjectName name;

    TransformMetrics(LongSupplier pendingRows, Duration summaryInterval, LongSupplier nanoClock) {
        this.pendingRows = pendingRows;
        this.summaryIntervalNanos = summaryInterval.toNanos();
        this.nanoClock = nanoClock;
        this.lastSummaryNanos = nanoClock.getAsLong();
    }

    /** Registers the MBean; a failure (e.g. no JMX) is logged and the counters still work. */
    void register() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName candidate = new ObjectName("sfsync.smt:type=conflict-transform,instance="
                    + INSTANCES.incrementAndGet());
            server.registerMBean(this, candidate);
            name = candidate;
        } catch (JMException | RuntimeException e) {
            log.warn("Conflict transform metrics not registered in JMX: {}", e.toString());
        }
    }

    ObjectName objectName() {
        return name;
    }

    void forwarded() {
        forwarded.incrementAndGet();
    }

    void droppedSalesforceOrigin() {
        droppedSalesforceOrigin.incrementAndGet();
    }

    void echoConfirmed() {
        echoesConfirmed.incrementAndGet();
    }

    void staleRead() {
        staleReads.incrementAndGet();
    }

    void droppedUnchanged() {
        droppedUnchanged.incrementAndGet();
    }

    void droppedTombstone() {
        droppedTombstones.incrementAndGet();
    }

    void conflict(boolean salesforceWon) {
        conflicts.incrementAndGet();
        (salesforceWon ? conflictsSalesforceWon : conflictsPostgresWon).incrementAndGet();
    }

    void conflictSendFailed() {
        conflictSendFailures.incrementAndGet();
    }

    /** Logs the INFO summary when the interval has passed since the last one; returns whether it did. */
    boolean maybeLogSummary() {
        long now = nanoClock.getAsLong();
        if (now - lastSummaryNanos < summaryIntervalNanos) {
            return false;
        }
        lastSummaryNanos = now;
        log.info("Conflict transform totals: forwarded {}, Salesforce-origin dropped {} (echoes confirmed {}, stale "
                        + "reads {}), unchanged updates dropped {}, tombstones dropped {}, conflicts {} (Salesforce won "
                        + "{}, Postgres won {}), conflict send failures {}, rows with pending values {}",
                getForwarded(), getDroppedSalesforceOrigin(), getEchoesConfirmed(), getStaleReads(),
                getDroppedUnchanged(), getDroppedTombstones(), getConflicts(), getConflictsSalesforceWon(),
                getConflictsPostgresWon(), getConflictSendFailures(), getPendingRows());
        return true;
    }

    @Override
    public long getForwarded() {
        return forwarded.get();
    }

    @Override
    public long getDroppedSalesforceOrigin() {
        return droppedSalesforceOrigin.get();
    }

    @Override
    public long getEchoesConfirmed() {
        return echoesConfirmed.get();
    }

    @Override
    public long getStaleReads() {
        return staleReads.get();
    }

    @Override
    public long getDroppedUnchanged() {
        return droppedUnchanged.get();
    }

    @Override
    public long getDroppedTombstones() {
        return droppedTombstones.get();
    }

    @Override
    public long getConflicts() {
        return conflicts.get();
    }

    @Override
    public long getConflictsSalesforceWon() {
        return conflictsSalesforceWon.get();
    }

    @Override
    public long getConflictsPostgresWon() {
        return conflictsPostgresWon.get();
    }

    @Override
    public long getConflictSendFailures() {
        return conflictSendFailures.get();
    }

    @Override
    public long getPendingRows() {
        return pendingRows.getAsLong();
    }

    @Override
    public void close() {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            log.debug("Conflict transform MBean {} already gone: {}", name, e.toString());
        }
        name = null;
    }
}

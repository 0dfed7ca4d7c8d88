package io.sfsync.sink;

import io.sfsync.salesforce.metrics.ClientMetrics;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One task's counters, published through the worker's plugin metrics (KIP-877: JMX
 * {@code kafka.connect:type=plugins,connector=<name>,task=<id>}) when the worker offers them. Thread-safe: the
 * worker's metric reporters read them from other threads. Closed in {@code stop()}, which removes the metrics.
 */
final class SinkTaskMetrics implements AutoCloseable {

    final AtomicLong written = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong redeliveries = new AtomicLong();
    final AtomicLong budgetTimeouts = new AtomicLong();

    private final PluginMetrics plugin;
    private final List<MetricName> registered = new ArrayList<>();

    /**
     * @param plugin     the worker's plugin metrics, or null on workers without them
     * @param client     the task's Salesforce client counters
     * @param unmapped   distinct unmapped columns
     */
    SinkTaskMetrics(PluginMetrics plugin, Supplier<ClientMetrics> client, Supplier<Long> unmapped) {
        this.plugin = plugin;
        if (plugin == null) {
            return;
        }
        gauge("records-written-total", "Records written to Salesforce (or already done, for deletes)", written::get);
        gauge("records-rejected-total", "Records Salesforce rejected (sent to the dead-letter queue / errors topic)",
                rejected::get);
        gauge("records-skipped-total", "Records that needed no write (only unsent columns changed)", skipped::get);
        gauge("batches-redelivered-total", "put() batches given back to the worker after a transient failure",
                redeliveries::get);
        gauge("budget-wait-timeouts-total", "put() batches given back because no API budget came within "
                + SalesforceSinkConfig.BUDGET_MAX_WAIT_MS, budgetTimeouts::get);
        gauge("unmapped-columns", "Distinct columns that map to no Salesforce field", unmapped);
        gauge("api-calls-total", "Salesforce API calls made (retries included)", () -> client.get().totalCalls());
        gauge("write-calls-total", "sObject Collections and Bulk write calls", () -> client.get().writeCalls());
        gauge("api-retries-total", "Calls retried after 503, REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW or I/O errors",
                () -> client.get().retries());
        gauge("records-per-call-max", "Most records carried by one write call", () -> client.get().maxRecordsPerCall());
        gauge("records-per-call-avg", "Records per write call, on average",
                () -> client.get().recordsPerWriteCall());
        gauge("budget-remaining", "API calls left in this worker's share of the org's daily allocation",
                () -> client.get().budgetRemaining());
        gauge("budget-waits-total", "Calls that waited for API budget", () -> client.get().budgetWaits());
    }

    private <T> void gauge(String name, String description, Supplier<T> value) {
        MetricName metricName = plugin.metricName(name, description, new LinkedHashMap<>());
        plugin.addMetric(metricName, (Gauge<T>) (config, now) -> value.get());
        registered.add(metricName);
    }

    @Override
    public void close() {
        if (plugin != null) {
            registered.forEach(plugin::removeMetric);
            registered.clear();
        }
    }

    @Override
    public String toString() {
        return written + " records written, " + rejected + " rejected, " + skipped + " without change, "
                + redeliveries + " batches given back for redelivery (" + budgetTimeouts + " waiting for API budget)";
    }
}

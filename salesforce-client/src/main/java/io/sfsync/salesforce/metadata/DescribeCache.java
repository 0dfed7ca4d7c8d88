package io.sfsync.salesforce.metadata;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.http.Json;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.http.RestResponse;
import io.sfsync.salesforce.http.RestTransport;
import io.sfsync.salesforce.metrics.CallKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * sObject describes, cached (Caffeine, bounded) and revalidated with {@code If-Modified-Since}: a describe younger
 * than {@code revalidateAfter} is served from the cache without a call; an older one is revalidated, and a 304 keeps
 * the cached copy (one cheap call, no parsing) while a 200 replaces it. An unknown object is a fatal 404.
 */
public final class DescribeCache {

    private static final Logger LOG = LoggerFactory.getLogger(DescribeCache.class);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private record Entry(SObjectDescribe describe, String lastModified, Instant checkedAt) {
    }

    private final RestTransport transport;
    private final Duration revalidateAfter;
    private final Clock clock;
    private final Cache<String, Entry> cache;
    private final ConcurrentMap<String, Object> loadLocks = new ConcurrentHashMap<>();

    /**
     * @param revalidateAfter how long a describe is used without asking Salesforce; {@code Duration.ZERO} revalidates
     *                        on every call
     */
    public DescribeCache(RestTransport transport, Duration revalidateAfter, long maxEntries, Clock clock) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.revalidateAfter = Objects.requireNonNull(revalidateAfter, "revalidateAfter");
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    /** The describe of the object, from the cache if it is fresh enough, otherwise revalidated. */
    public SObjectDescribe describe(String sobject) {
        String key = sobject.toLowerCase(Locale.ROOT);
        Entry e = cache.getIfPresent(key);
        if (e != null && clock.instant().isBefore(e.checkedAt().plus(revalidateAfter))) {
            return e.describe();
        }
        // One load per object at a time: concurrent callers wait for it and share the result.
        synchronized (loadLock(key)) {
            e = cache.getIfPresent(key);
            Instant now = clock.instant();
            if (e != null && now.isBefore(e.checkedAt().plus(revalidateAfter))) {
                return e.describe();
            }
            return load(sobject, key, e, now);
        }
    }

    /** Asks Salesforce now whether the describe changed (If-Modified-Since), e.g. after a schema change event. */
    public SObjectDescribe revalidate(String sobject) {
        String key = sobject.toLowerCase(Locale.ROOT);
        synchronized (loadLock(key)) {
            return load(sobject, key, cache.getIfPresent(key), clock.instant());
        }
    }

    private Object loadLock(String key) {
        return loadLocks.computeIfAbsent(key, k -> new Object());
    }

    public void invalidate(String sobject) {
        cache.invalidate(sobject.toLowerCase(Locale.ROOT));
    }

    public void invalidateAll() {
        cache.invalidateAll();
    }

    private SObjectDescribe load(String sobject, String key, Entry cached, Instant now) {
        RestRequest request = RestRequest.get("/sobjects/" + RestRequest.encode(sobject) + "/describe").accepting(304);
        if (cached != null) {
            request = request.withHeader("If-Modified-Since", cached.lastModified() != null ? cached.lastModified()
                    : HTTP_DATE.format(ZonedDateTime.ofInstant(cached.checkedAt(), ZoneOffset.UTC)));
        }
        RestResponse r = transport.send(CallKind.DESCRIBE, request);
        if (r.status() == 304 && cached != null) {
            transport.metrics().recordDescribeNotModified();
            cache.put(key, new Entry(cached.describe(), r.header("Last-Modified").orElse(cached.lastModified()), now));
            LOG.debug("describe {} not modified", sobject);
            return cached.describe();
        }
        if (r.status() == 304) {
            // 304 without a cached copy cannot happen (no If-Modified-Since was sent); ask again unconditionally.
            invalidate(sobject);
            r = transport.send(CallKind.DESCRIBE, RestRequest.get("/sobjects/" + RestRequest.encode(sobject)
                    + "/describe"));
        }
        SObjectDescribe d = parse(r.body(), r.status());
        cache.put(key, new Entry(d, r.header("Last-Modified").orElse(null), now));
        LOG.debug("describe {} loaded: {} fields", d.name(), d.fields().size());
        return d;
    }

    static SObjectDescribe parse(String body, int status) {
        try {
            return Json.MAPPER.readValue(body, SObjectDescribe.class);
        } catch (IOException e) {
            throw new FatalSalesforceException("unreadable describe result", status, List.of(), e);
        }
    }
}

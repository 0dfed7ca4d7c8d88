package io.sfsync.emulator.rest;

import io.sfsync.emulator.http.ApiRequest;
import io.sfsync.emulator.http.ApiResponse;
import io.sfsync.emulator.http.Router;
import io.sfsync.emulator.limits.ApiLimits;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;

/**
 * {@code GET /limits}: the org's allocations, {@code {"Name":{"Max":n,"Remaining":n}}}, with the daily API
 * requests live and the streaming entries supplied by the streaming server.
 */
public final class LimitsResource {

    private final ApiLimits limits;
    private final Supplier<Map<String, long[]>> extraLimits;

    /** @param extraLimits more entries, name to {max, remaining}, such as streaming clients and event deliveries */
    public LimitsResource(ApiLimits limits, Supplier<Map<String, long[]>> extraLimits) {
        this.limits = limits;
        this.extraLimits = extraLimits;
    }

    public void register(Router router) {
        router.add("GET", "/limits", this::limits);
    }

    private ApiResponse limits(ApiRequest req, Matcher m) {
        Map<String, Object> body = new LinkedHashMap<>();
        put(body, "ConcurrentAsyncGetReportInstances", 200, 200);
        put(body, "ConcurrentSyncReportRuns", 20, 20);
        // Read after this call was counted, as Salesforce reports it.
        put(body, "DailyApiRequests", limits.dailyMax(), limits.remaining());
        put(body, "DailyAsyncApexExecutions", 250_000, 250_000);
        put(body, "DailyBulkApiBatches", 15_000, 15_000);
        put(body, "DailyBulkApiRequests", 10_000, 10_000);
        put(body, "DailyBulkV2QueryFileStorageMB", 976_562, 976_562);
        put(body, "DailyBulkV2QueryJobs", 10_000, 10_000);
        put(body, "DailyDurableGenericStreamingApiEvents", 10_000, 10_000);
        put(body, "DailyDurableStreamingApiEvents", 10_000, 10_000);
        put(body, "DailyGenericStreamingApiEvents", 10_000, 10_000);
        put(body, "DailyStreamingApiEvents", 10_000, 10_000);
        put(body, "DailyWorkflowEmails", 390, 390);
        put(body, "DataStorageMB", 5, 5);
        put(body, "DurableStreamingApiConcurrentClients", 20, 20);
        put(body, "FileStorageMB", 20, 20);
        put(body, "HourlyAsyncReportRuns", 1200, 1200);
        put(body, "HourlyDashboardRefreshes", 200, 200);
        put(body, "HourlyDashboardResults", 5000, 5000);
        put(body, "HourlyDashboardStatuses", 999_999_999, 999_999_999);
        put(body, "HourlyODataCallout", 10_000, 10_000);
        put(body, "HourlyPublishedPlatformEvents", 50_000, 50_000);
        put(body, "HourlySyncReportRuns", 500, 500);
        put(body, "HourlyTimeBasedWorkflow", 50, 50);
        put(body, "MassEmail", 10, 10);
        put(body, "SingleEmail", 15, 15);
        put(body, "StreamingApiConcurrentClients", 20, 20);
        extraLimits.get().forEach((name, maxRemaining) -> put(body, name, maxRemaining[0], maxRemaining[1]));
        return ApiResponse.ok(body);
    }

    private static void put(Map<String, Object> body, String name, long max, long remaining) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Max", max);
        entry.put("Remaining", remaining);
        body.put(name, entry);
    }
}

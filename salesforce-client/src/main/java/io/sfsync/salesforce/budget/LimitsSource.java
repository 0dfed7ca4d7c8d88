package io.sfsync.salesforce.budget;

/**
 * Reads the org's daily API usage from {@code GET /limits}, without going through the governor's admission (the
 * governor calls it while calls are held). It costs one API call.
 */
@FunctionalInterface
public interface LimitsSource {
    DailyUsage fetchDailyUsage();
}

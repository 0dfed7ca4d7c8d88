package io.sfsync.salesforce.budget;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The org's daily API request usage: {@code used} of {@code max} over the rolling 24 hours, as read from a
 * {@code Sforce-Limit-Info: api-usage=used/max} header or from {@code DailyApiRequests} in {@code /limits}.
 */
public record DailyUsage(long used, long max) {

    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    public long remaining() {
        return Math.max(0, max - used);
    }

    /** Parses {@code api-usage=10018/100000} (other entries such as {@code per-app-api-usage} are ignored). */
    public static Optional<DailyUsage> fromLimitInfoHeader(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = API_USAGE.matcher(header);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DailyUsage(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /** From {@code /limits}: {@code "DailyApiRequests":{"Max":15000,"Remaining":14998}}. */
    public static DailyUsage fromMaxRemaining(long max, long remaining) {
        return new DailyUsage(Math.max(0, max - remaining), max);
    }
}

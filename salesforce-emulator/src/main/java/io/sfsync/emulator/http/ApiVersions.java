package io.sfsync.emulator.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API versions the emulator answers, with their release labels (v62.0 = Winter '25). */
public final class ApiVersions {

    public static final int OLDEST = 31;
    public static final int NEWEST = 66;
    public static final String DEFAULT = "62.0";

    private ApiVersions() {
    }

    public static boolean supported(String version) {
        try {
            double v = Double.parseDouble(version);
            return v >= OLDEST && v <= NEWEST && version.matches("\\d+\\.0");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Body of {@code GET /services/data/}. */
    public static List<Map<String, Object>> list() {
        String[] seasons = {"Spring", "Summer", "Winter"};
        List<Map<String, Object>> out = new ArrayList<>();
        for (int v = OLDEST; v <= NEWEST; v++) {
            // v20.0 was Winter '11; three releases a year since (v59 Winter '24, v62 Winter '25).
            int index = v - 20;
            int year = 11 + index / 3;
            String season = seasons[(index + 2) % 3];
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", season + " '" + String.format("%02d", year));
            m.put("url", "/services/data/v" + v + ".0");
            m.put("version", v + ".0");
            out.add(m);
        }
        return out;
    }
}

package io.sfsync.emulator.data;

/**
 * Where a change came from, as CDC reports it in {@code changeOrigin}: the API and version, plus the client id
 * the caller sent in {@code Sforce-Call-Options: client=...}. A change made by a person in the UI carries the
 * internal API marker real orgs show for UI edits.
 */
public record ChangeOrigin(String api, String apiVersion, String clientId) {

    /** What real orgs put in changeOrigin for an edit made in Lightning. */
    public static final ChangeOrigin UI = new ChangeOrigin("soap", "60.0", "SfdcInternalAPI/");

    public static ChangeOrigin rest(String apiVersion, String clientId) {
        return new ChangeOrigin("rest", apiVersion, clientId);
    }

    public static ChangeOrigin bulk(String apiVersion, String clientId) {
        return new ChangeOrigin("bulkapi", apiVersion, clientId);
    }

    /** {@code com/salesforce/api/rest/62.0;client=my-sync}; without {@code ;client=} when no client id was sent. */
    public String header() {
        String base = "com/salesforce/api/" + api + "/" + apiVersion;
        return clientId == null || clientId.isEmpty() ? base : base + ";client=" + clientId;
    }
}

package io.sfsync.salesforce.bulk;

/**
 * Bulk API 2.0 job states. Ingest jobs start {@code Open}, query jobs {@code UploadComplete}; both end
 * {@code JobComplete}, {@code Failed} or {@code Aborted}. {@link #UNKNOWN} stands for a state this client does not
 * know (a newer API version), treated as not finished.
 */
public enum BulkJobState {
    Open, UploadComplete, InProgress, JobComplete, Failed, Aborted, UNKNOWN;

    public boolean terminal() {
        return this == JobComplete || this == Failed || this == Aborted;
    }

    static BulkJobState parse(String name) {
        for (BulkJobState s : values()) {
            if (s != UNKNOWN && s.name().equals(name)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}

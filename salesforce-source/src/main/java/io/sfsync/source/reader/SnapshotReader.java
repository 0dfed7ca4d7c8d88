package io.sfsync.source.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.bulk.BulkQueryCursor;
import io.sfsync.salesforce.query.QueryCursor;
import io.sfsync.source.mapping.ObjectSchema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one object in pages ordered by Id, so that a snapshot interrupted anywhere resumes after the last Id it
 * emitted ({@code WHERE Id > :cursor ORDER BY Id}). REST query paging (one counted call per page) below the bulk
 * threshold; above it, one Bulk API 2.0 query job whose result pages are read as they are needed. An optional
 * {@code SystemModstamp} lower bound turns the read into a resync window.
 */
public final class SnapshotReader implements AutoCloseable {

    /** How much earlier than the requested bound a resync window opens (see {@code where()}). */
    public static final java.time.Duration RESYNC_MARGIN = java.time.Duration.ofMinutes(1);

    private final SalesforceClient client;
    private final ObjectSchema schema;
    private final Instant since;
    private final int pageSize;
    private final long bulkThreshold;
    private String cursor;
    private Iterator<Map<String, Object>> bulkRows;
    private BulkQueryCursor bulk;
    private Boolean useBulk;
    private boolean done;

    public SnapshotReader(SalesforceClient client, ObjectSchema schema, String cursor, Instant since, int pageSize,
                          long bulkThreshold) {
        this.client = client;
        this.schema = schema;
        this.cursor = cursor;
        this.since = since;
        this.pageSize = pageSize;
        this.bulkThreshold = bulkThreshold;
    }

    /** The next rows (lower-case field name → raw value), at most one page; empty when the read is complete. */
    public List<Map<String, Object>> nextPage() {
        if (done) {
            return List.of();
        }
        if (useBulk == null) {
            useBulk = count() > bulkThreshold;
        }
        List<Map<String, Object>> page = useBulk ? bulkPage() : restPage();
        if (page.size() < pageSize && !useBulk || page.isEmpty()) {
            done = true;
            close();
        }
        if (!page.isEmpty()) {
            cursor = String.valueOf(page.get(page.size() - 1).get("id"));
        }
        return page;
    }

    public boolean done() {
        return done;
    }

    private long count() {
        QueryCursor c = client.query().query("SELECT COUNT() FROM " + schema.object() + where());
        return c.totalSize();
    }

    private String where() {
        List<String> conditions = new ArrayList<>();
        if (cursor != null) {
            conditions.add("Id > '" + cursor.replace("'", "") + "'");
        }
        if (since != null) {
            // SystemModstamp is stamped when the row is written, the CDC commit timestamp when the transaction
            // commits (later, by up to the transaction's length), and Salesforce keeps datetimes to the second: the
            // window opens RESYNC_MARGIN earlier, rounded down to the second. Re-reading a few rows twice is harmless.
            conditions.add("SystemModstamp >= " + since.minus(RESYNC_MARGIN)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private String soql(boolean limit) {
        return "SELECT " + String.join(", ", schema.soqlFields()) + " FROM " + schema.object() + where()
                + " ORDER BY Id" + (limit ? " LIMIT " + pageSize : "");
    }

    private List<Map<String, Object>> restPage() {
        // A resync window also reads the recycle bin (queryAll), so records deleted inside it come back as deleted.
        QueryCursor c = since != null ? client.query().queryAll(soql(true)) : client.query().query(soql(true));
        List<Map<String, Object>> rows = new ArrayList<>();
        while (c.hasNext()) {
            rows.add(fromJson(c.next()));
        }
        return rows;
    }

    private List<Map<String, Object>> bulkPage() {
        if (bulkRows == null) {
            bulk = since != null ? client.bulkQuery().queryAll(soql(false)) : client.bulkQuery().query(soql(false));
            bulkRows = bulk.stream().map(SnapshotReader::fromCsv).iterator();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rows.size() < pageSize && bulkRows.hasNext()) {
            rows.add(bulkRows.next());
        }
        return rows;
    }

    /** Whether a row read by a resync window is a deleted record (its {@code IsDeleted} is true). */
    public static boolean deleted(Map<String, Object> row) {
        Object v = row.get("isdeleted");
        return v != null && "true".equalsIgnoreCase(v instanceof JsonNode n ? n.asText() : v.toString());
    }

    static Map<String, Object> fromJson(ObjectNode row) {
        Map<String, Object> m = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = row.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!"attributes".equals(e.getKey())) {
                JsonNode v = e.getValue();
                m.put(e.getKey().toLowerCase(Locale.ROOT), v.isTextual() ? v.textValue() : v);
            }
        }
        return m;
    }

    static Map<String, Object> fromCsv(Map<String, String> row) {
        Map<String, Object> m = new HashMap<>();
        row.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        return m;
    }

    @Override
    public void close() {
        if (bulk != null) {
            bulk.close();
            bulk = null;
        }
    }
}

package io.sfsync.emulator.bulk;

import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.data.DmlResult;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.data.Transaction;
import io.sfsync.emulator.data.WriteContext;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.Schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a closed ingest job: checks the upload's line endings and header, then writes the rows in chunks of 200,
 * each chunk one transaction with partial-success semantics (as Bulk API 2.0 runs triggers in chunks of 200), so
 * change events of one chunk are grouped as one transaction's events are. Stops between chunks when the job was
 * aborted.
 */
final class IngestProcessor {

    static final int CHUNK_SIZE = 200;
    static final String NULL_MARKER = "#N/A";

    private final Org org;

    IngestProcessor(Org org) {
        this.org = org;
    }

    /**
     * A header column resolved against the object: a field ({@code Name}), or a relationship column
     * ({@code Account.External_Id__c}) naming the parent by one of its fields.
     */
    private record Column(int index, FieldDef field, FieldDef lookup, String parentField) {
    }

    void run(IngestJob job) {
        if (!job.transition(BulkJobState.UploadComplete, BulkJobState.InProgress, org.clock().instant())) {
            return; // aborted or deleted while queued
        }
        long started = System.nanoTime();
        String data = job.data() == null ? "" : job.data();
        BulkCsv csv = job.csv();
        if (!csv.lineEndingMatches(data)) {
            job.fail("ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is "
                    + job.lineEnding.name(), org.clock().instant());
            return;
        }
        BulkCsv.Table table;
        try {
            table = csv.parse(data);
        } catch (RuntimeException e) {
            job.fail("InvalidBatch : Failed to parse CSV. " + e.getMessage(), org.clock().instant());
            return;
        }
        job.setTable(table);
        Optional<SObjectType> type = org.schema().find(job.object);
        if (type.isEmpty()) {
            job.fail("InvalidJob : Unable to find object: " + job.object, org.clock().instant());
            return;
        }
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < table.header().size(); i++) {
            String name = table.header().get(i);
            Optional<Column> c = resolve(org.schema(), type.get(), i, name);
            if (c.isEmpty()) {
                job.fail("InvalidBatch : Field name not found : " + name, org.clock().instant());
                return;
            }
            columns.add(c.get());
        }
        org.writeStats().recordCall(table.rows().size());
        job.addProcessingTime((System.nanoTime() - started) / 1_000_000);

        WriteContext ctx = new WriteContext(job.createdById, ChangeOrigin.bulk(job.apiVersion, job.clientId));
        List<List<String>> rows = table.rows();
        for (int from = 0; from < rows.size(); from += CHUNK_SIZE) {
            if (job.state() != BulkJobState.InProgress) {
                return; // aborted (or deleted) between chunks: the rest stays unprocessed
            }
            long chunkStart = System.nanoTime();
            int first = from;
            int to = Math.min(rows.size(), from + CHUNK_SIZE);
            List<IngestJob.RowResult> results = org.write(ctx, tx -> {
                List<IngestJob.RowResult> out = new ArrayList<>(to - first);
                for (int r = first; r < to; r++) {
                    out.add(writeRow(tx, job, type.get(), columns, rows.get(r)));
                }
                return out;
            });
            for (int k = 0; k < results.size(); k++) {
                job.recordResult(first + k, results.get(k));
            }
            job.addProcessingTime((System.nanoTime() - chunkStart) / 1_000_000);
        }
        job.transition(BulkJobState.InProgress, BulkJobState.JobComplete, org.clock().instant());
    }

    /** A header name as a column, or empty when Salesforce would fail the job with "Field name not found". */
    static Optional<Column> resolve(Schema schema, SObjectType type, int index, String name) {
        Optional<FieldDef> direct = type.field(name);
        if (direct.isPresent()) {
            return Optional.of(new Column(index, direct.get(), null, null));
        }
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return Optional.empty();
        }
        String relationship = name.substring(0, dot);
        String parentFieldName = name.substring(dot + 1);
        for (FieldDef f : type.fields()) {
            if (f.relationshipName() != null && f.relationshipName().equalsIgnoreCase(relationship)
                    && !f.referenceTo().isEmpty()) {
                Optional<FieldDef> parentField = schema.find(f.referenceTo().get(0))
                        .flatMap(parent -> parent.field(parentFieldName));
                return parentField.map(pf -> new Column(index, null, f, pf.name()));
            }
        }
        return Optional.empty();
    }

    private IngestJob.RowResult writeRow(Transaction tx, IngestJob job, SObjectType type, List<Column> columns,
                                         List<String> row) {
        Map<String, Object> input = new LinkedHashMap<>();
        String rowId = null;
        for (Column c : columns) {
            String cell = row.get(c.index());
            if (c.field() != null && c.field().name().equals("Id")) {
                rowId = cell;
            }
            if (cell.isEmpty()) {
                continue; // an empty cell leaves the field as it is (not set on insert)
            }
            boolean setNull = cell.equals(NULL_MARKER);
            if (c.field() != null) {
                input.put(c.field().name(), setNull ? null : cell);
            } else if (setNull) {
                input.put(c.lookup().name(), null);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> ref = (Map<String, Object>) input.computeIfAbsent(
                        c.lookup().relationshipName(), k -> new LinkedHashMap<String, Object>());
                ref.put(c.parentField(), cell);
            }
        }
        try {
            DmlResult r = switch (job.operation) {
                case "insert" -> tx.insert(type.name(), input);
                case "update" -> {
                    if (rowId == null || rowId.isEmpty()) {
                        yield DmlResult.failed(null, ApiError.of("MISSING_ARGUMENT",
                                "Id not specified in an update call"));
                    }
                    input.remove("Id");
                    yield tx.update(rowId, input);
                }
                case "upsert" -> tx.upsert(type.name(), job.externalIdFieldName, null, input);
                case "delete", "hardDelete" -> {
                    if (rowId == null || rowId.isEmpty()) {
                        yield DmlResult.failed(null, ApiError.of("MISSING_ARGUMENT",
                                "Id not specified in a delete call"));
                    }
                    yield job.operation.equals("delete") ? tx.delete(rowId) : tx.hardDelete(rowId);
                }
                default -> throw new IllegalStateException("unknown operation " + job.operation);
            };
            if (r.success()) {
                boolean created = job.operation.equals("insert")
                        || (job.operation.equals("upsert") && Boolean.TRUE.equals(r.created()));
                return new IngestJob.RowResult(r.id(), created, null);
            }
            String failedId = r.id() != null ? r.id() : rowId != null && !job.operation.equals("insert") ? rowId : "";
            return new IngestJob.RowResult(failedId, false, errorText(r.firstError()));
        } catch (ApiException e) {
            return new IngestJob.RowResult(rowId == null ? "" : rowId, false,
                    errorText(e.errors().isEmpty() ? null : e.errors().get(0)));
        }
    }

    /**
     * The {@code sf__Error} cell: {@code CODE:message:fields --}, e.g.
     * {@code REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --}, or {@code CODE:message:--} when
     * the error names no field ({@code ENTITY_IS_DELETED:entity is deleted:--}).
     */
    static String errorText(ApiError e) {
        if (e == null) {
            return "UNKNOWN_EXCEPTION:An unexpected error occurred.:--";
        }
        String fields = e.fields().isEmpty() ? "" : String.join(",", e.fields()) + " ";
        return e.code() + ":" + e.message() + ":" + fields + "--";
    }
}

package io.sfsync.salesforce.bulk;

import io.sfsync.salesforce.budget.Sleeper;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.http.RestTransport;
import io.sfsync.salesforce.metrics.CallKind;
import io.sfsync.salesforce.write.RecordError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Bulk API 2.0 ingest: writes any number of records (field maps) to one object as insert, update, upsert by
 * External ID, delete or hardDelete, and returns one {@link BulkRecordOutcome} per record, in input order.
 *
 * <p>For each job: the records are written as CSV (header = the union of their fields in first-seen order; an
 * absent field is an empty cell, which leaves the field as it is; a null or empty value is {@code #N/A}, which
 * nulls it), the job is created, the CSV uploaded and the job closed; its state is polled with growing waits
 * until it finishes; then the successful, failed and (when some are missing) unprocessed records are downloaded
 * and matched back to the input by their cells as uploaded, else by Id or External ID. An input larger than
 * {@link BulkSettings#maxUploadBytes()} or {@link BulkSettings#maxRecordsPerJob()} is split into several jobs,
 * run one after the other. A job that ends {@code Failed} raises a {@link FatalSalesforceException} carrying its
 * {@code errorMessage}; a job that is aborted by someone else yields {@link BulkRecordOutcome.Status#UNPROCESSED}
 * outcomes. On any failure or interrupt while a job is open or running, this client aborts it.
 *
 * <p>Every call goes through {@link RestTransport} as {@link CallKind#BULK}: budget, retries, re-login, metrics.
 * Thread-safe; one ingest per calling thread.
 */
public final class BulkIngestClient {

    private static final Logger LOG = LoggerFactory.getLogger(BulkIngestClient.class);
    static final String RESOURCE = "/jobs/ingest";

    private final BulkJobs jobs;

    public BulkIngestClient(RestTransport transport, BulkSettings settings, Sleeper sleeper, Clock clock) {
        this.jobs = new BulkJobs(transport, settings, sleeper, clock);
    }

    public BulkIngestResult insert(String object, Iterable<? extends Map<String, ?>> records) {
        return run(BulkOperation.INSERT, object, null, records.iterator());
    }

    /** Each record carries its {@code Id}. */
    public BulkIngestResult update(String object, Iterable<? extends Map<String, ?>> records) {
        return run(BulkOperation.UPDATE, object, null, records.iterator());
    }

    /** Each record carries its External ID value in {@code externalIdField}. */
    public BulkIngestResult upsert(String object, String externalIdField, Iterable<? extends Map<String, ?>> records) {
        return run(BulkOperation.UPSERT, object, Objects.requireNonNull(externalIdField, "externalIdField"),
                records.iterator());
    }

    public BulkIngestResult delete(String object, Iterable<String> ids) {
        return run(BulkOperation.DELETE, object, null, idRows(ids));
    }

    public BulkIngestResult hardDelete(String object, Iterable<String> ids) {
        return run(BulkOperation.HARD_DELETE, object, null, idRows(ids));
    }

    public BulkIngestResult run(BulkOperation operation, String object, String externalIdField,
                                Stream<? extends Map<String, ?>> records) {
        return run(operation, object, externalIdField, records.iterator());
    }

    /**
     * Runs the whole ingest; the records are read once, one job's worth at a time.
     *
     * @param externalIdField the External ID field for {@link BulkOperation#UPSERT}, else ignored (may be null)
     */
    public BulkIngestResult run(BulkOperation operation, String object, String externalIdField,
                                Iterator<? extends Map<String, ?>> records) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(object, "object");
        if (operation == BulkOperation.UPSERT && (externalIdField == null || externalIdField.isBlank())) {
            throw new IllegalArgumentException("upsert needs an External ID field");
        }
        String keyColumn = operation.keyColumn(externalIdField);
        List<BulkRecordOutcome> outcomes = new ArrayList<>();
        List<BulkJobInfo> done = new ArrayList<>();
        BulkSettings s = jobs.settings();
        Batch batch = new Batch(0);
        int index = 0;
        while (records.hasNext()) {
            Map<String, ?> record = Objects.requireNonNull(records.next(), "a record is null");
            Map<String, String> cells = new LinkedHashMap<>();
            long bytes = 0;
            for (Map.Entry<String, ?> e : record.entrySet()) {
                String field = e.getKey();
                if (field == null || field.isBlank()) {
                    throw new IllegalArgumentException("record " + index + " has a blank field name");
                }
                String cell = BulkCsv.cell(e.getValue());
                cells.put(field, cell);
                bytes += BulkCsv.utf8Length(BulkCsv.escape(cell));
            }
            if (!batch.fits(cells.keySet(), bytes, s)) {
                if (!batch.isEmpty()) {
                    runJob(operation, object, externalIdField, keyColumn, batch, outcomes, done);
                    batch = new Batch(index);
                }
                if (!batch.fits(cells.keySet(), bytes, s)) {
                    throw new IllegalArgumentException("record " + index + " alone is larger than "
                            + s.maxUploadBytes() + " bytes of CSV");
                }
            }
            batch.add(cells, bytes);
            index++;
        }
        if (!batch.isEmpty()) {
            runJob(operation, object, externalIdField, keyColumn, batch, outcomes, done);
        }
        return new BulkIngestResult(outcomes, done);
    }

    private static Iterator<Map<String, ?>> idRows(Iterable<String> ids) {
        Iterator<String> it = ids.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map<String, ?> next() {
                return Map.of("Id", Objects.requireNonNull(it.next(), "an id is null"));
            }
        };
    }

    // ------------------------------------------------------------------------------------------------ one job

    private void runJob(BulkOperation operation, String object, String externalIdField, String keyColumn,
                        Batch batch, List<BulkRecordOutcome> outcomes, List<BulkJobInfo> done) {
        if (Thread.currentThread().isInterrupted()) {
            throw new FatalSalesforceException("bulk " + operation.wireName() + " " + object
                    + ": interrupted before job " + (done.size() + 1), 0, List.of(), new InterruptedException());
        }
        long started = System.nanoTime();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", object);
        body.put("operation", operation.wireName());
        if (operation == BulkOperation.UPSERT) {
            body.put("externalIdFieldName", externalIdField);
        }
        body.put("contentType", "CSV");
        body.put("columnDelimiter", "COMMA");
        body.put("lineEnding", "LF");
        BulkJobInfo job = jobs.create(RESOURCE, body);
        String id = job.id();
        boolean finished = false;
        try {
            List<String> header = batch.header();
            Matcher matcher = new Matcher(header, keyColumn, batch.size());
            String csv = batch.csv(header, matcher);
            batch.release();
            jobs.send(new RestRequest("PUT", RESOURCE + "/" + id + "/batches", Map.of("Content-Type", "text/csv"),
                    csv, null));
            jobs.send(RestRequest.of("PATCH", RESOURCE + "/" + id, "{\"state\":\"UploadComplete\"}"));
            BulkJobInfo info = jobs.awaitTerminal(RESOURCE, id);
            finished = true;
            if (info.state() == BulkJobState.Failed) {
                throw BulkJobs.failed(info);
            }
            BulkRecordOutcome[] out = new BulkRecordOutcome[batch.size()];
            int failed = readResults(id, "successfulResults/", 2, matcher, batch.firstIndex, out, operation);
            failed += readResults(id, "failedResults/", 2, matcher, batch.firstIndex, out, operation);
            long matched = Arrays.stream(out).filter(Objects::nonNull).count();
            if (matched < out.length) {
                readResults(id, "unprocessedrecords/", 0, matcher, batch.firstIndex, out, operation);
            }
            int unprocessed = 0;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null || out[i].status() == BulkRecordOutcome.Status.UNPROCESSED) {
                    out[i] = new BulkRecordOutcome(batch.firstIndex + i, BulkRecordOutcome.Status.UNPROCESSED, null,
                            null, List.of(), id);
                    unprocessed++;
                }
                outcomes.add(out[i]);
            }
            done.add(info);
            jobs.transport().metrics().recordWriteCall(CallKind.BULK, out.length, failed);
            LOG.info("bulk {} of {} {} records (job {}): {} failed, {} unprocessed, {} ms", operation.wireName(),
                    out.length, object, id, failed, unprocessed, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException | Error e) {
            if (!finished) {
                jobs.abortQuietly(RESOURCE, id);
            }
            throw e;
        }
    }

    /**
     * Reads one result file and fills the outcomes of the rows it names.
     *
     * @param prefix the number of {@code sf__} columns before the original ones (2, or 0 for unprocessed records)
     * @return the number of failed rows read
     */
    private int readResults(String id, String file, int prefix, Matcher matcher, int firstIndex,
                            BulkRecordOutcome[] out, BulkOperation operation) {
        int[] failed = {0};
        int[] unmatched = {0};
        int[][] columns = {null};
        jobs.readCsv(RestRequest.get(RESOURCE + "/" + id + "/" + file), response -> { }, cells -> {
            if (columns[0] == null) {
                columns[0] = matcher.columnsOf(cells, prefix);
                return;
            }
            int pos = matcher.take(cells, columns[0]);
            if (pos < 0) {
                unmatched[0]++;
                return;
            }
            if (prefix == 0) {
                out[pos] = new BulkRecordOutcome(firstIndex + pos, BulkRecordOutcome.Status.UNPROCESSED, null, null,
                        List.of(), id);
            } else if (file.startsWith("successful")) {
                Boolean created = operation == BulkOperation.INSERT || operation == BulkOperation.UPSERT
                        ? Boolean.valueOf(cells[1]) : null;
                out[pos] = new BulkRecordOutcome(firstIndex + pos, BulkRecordOutcome.Status.SUCCEEDED,
                        emptyToNull(cells[0]), created, List.of(), id);
            } else {
                RecordError error = BulkCsv.parseError(cells[1]);
                out[pos] = new BulkRecordOutcome(firstIndex + pos, BulkRecordOutcome.Status.FAILED,
                        emptyToNull(cells[0]), null, List.of(error), id);
                failed[0]++;
            }
        });
        if (unmatched[0] > 0) {
            LOG.warn("bulk job {}: {} rows of {} matched no input record", id, unmatched[0], file);
        }
        return failed[0];
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    // ------------------------------------------------------------------------------------------------ batching

    /** The records of one job, as cells, with the exact size of their CSV kept as they are added. */
    private static final class Batch {
        final int firstIndex;
        private List<Map<String, String>> rows = new ArrayList<>();
        private int count;
        private final Set<String> fields = new LinkedHashSet<>();
        private long namesBytes;
        private long contentBytes;

        Batch(int firstIndex) {
            this.firstIndex = firstIndex;
        }

        boolean isEmpty() {
            return count == 0;
        }

        /** The number of records, also after {@link #release()}. */
        int size() {
            return count;
        }

        /**
         * Whether one more record keeps the CSV within the limits. The CSV's size is the header's names plus the
         * cells, plus one separator (comma or line feed) per column per line; a row whose only cell is empty is
         * written {@code ""} so it is not an empty line, counted as 2 more bytes.
         */
        boolean fits(Set<String> recordFields, long recordBytes, BulkSettings s) {
            if (rows.size() + 1 > s.maxRecordsPerJob()) {
                return false;
            }
            long names = namesBytes;
            int columns = fields.size();
            for (String f : recordFields) {
                if (!fields.contains(f)) {
                    names += BulkCsv.utf8Length(BulkCsv.escape(f));
                    columns++;
                }
            }
            long lines = rows.size() + 2L; // header + rows + this one
            long total = names + contentBytes + recordBytes + lines * columns + (columns == 1 ? 2L * lines : 0);
            return total <= s.maxUploadBytes();
        }

        void add(Map<String, String> cells, long bytes) {
            for (String f : cells.keySet()) {
                if (fields.add(f)) {
                    namesBytes += BulkCsv.utf8Length(BulkCsv.escape(f));
                }
            }
            rows.add(cells);
            count++;
            contentBytes += bytes;
        }

        List<String> header() {
            return List.copyOf(fields);
        }

        /** The CSV; registers every row with the matcher. */
        String csv(List<String> header, Matcher matcher) {
            StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 16,
                    namesBytes + contentBytes + (rows.size() + 1L) * header.size() + 64));
            appendLine(sb, header.toArray(new String[0]));
            String[] line = new String[header.size()];
            for (int r = 0; r < rows.size(); r++) {
                Map<String, String> cells = rows.get(r);
                for (int c = 0; c < line.length; c++) {
                    line[c] = cells.getOrDefault(header.get(c), "");
                }
                appendLine(sb, line);
                matcher.register(r, line);
            }
            return sb.toString();
        }

        /** Drops the records once the CSV is built. */
        void release() {
            rows = List.of();
        }

        private static void appendLine(StringBuilder sb, String[] cells) {
            if (cells.length == 1 && cells[0].isEmpty()) {
                sb.append("\"\"");
            }
            for (int c = 0; c < cells.length; c++) {
                if (c > 0) {
                    sb.append(',');
                }
                sb.append(BulkCsv.escape(cells[c]));
            }
            sb.append('\n');
        }
    }

    /**
     * Finds the input position of a result row: by all its original cells (as uploaded), else by the key column
     * (Id or External ID). Rows with the same cells are handed out in input order; each position once.
     */
    private static final class Matcher {
        private final List<String> header;
        private final int keyIndex;
        private final Map<String, ArrayDeque<Integer>> byRow = new HashMap<>();
        private final Map<String, ArrayDeque<Integer>> byKey = new HashMap<>();
        private final boolean[] taken;

        Matcher(List<String> header, String keyColumn, int size) {
            this.header = header;
            this.keyIndex = keyColumn == null ? -1 : indexOfIgnoreCase(header, keyColumn);
            this.taken = new boolean[size];
        }

        void register(int position, String[] cells) {
            byRow.computeIfAbsent(String.join("\u0001", cells), k -> new ArrayDeque<>()).add(position);
            if (keyIndex >= 0 && !cells[keyIndex].isEmpty()) {
                byKey.computeIfAbsent(cells[keyIndex], k -> new ArrayDeque<>()).add(position);
            }
        }

        /** For each of our header's columns, its index in a result file's header row (or -1). */
        int[] columnsOf(String[] resultHeader, int prefix) {
            int[] columns = new int[header.size()];
            for (int c = 0; c < columns.length; c++) {
                columns[c] = -1;
                for (int i = prefix; i < resultHeader.length; i++) {
                    if (resultHeader[i].equals(header.get(c))) {
                        columns[c] = i;
                        break;
                    }
                }
            }
            return columns;
        }

        int take(String[] resultCells, int[] columns) {
            String[] cells = new String[columns.length];
            for (int c = 0; c < columns.length; c++) {
                int i = columns[c];
                cells[c] = i >= 0 && i < resultCells.length ? resultCells[i] : "";
            }
            int pos = takeFrom(byRow.get(String.join("\u0001", cells)));
            if (pos < 0 && keyIndex >= 0 && !cells[keyIndex].isEmpty()) {
                pos = takeFrom(byKey.get(cells[keyIndex]));
            }
            return pos;
        }

        private int takeFrom(ArrayDeque<Integer> queue) {
            while (queue != null && !queue.isEmpty()) {
                int pos = queue.poll();
                if (!taken[pos]) {
                    taken[pos] = true;
                    return pos;
                }
            }
            return -1;
        }

        private static int indexOfIgnoreCase(List<String> header, String name) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).equalsIgnoreCase(name)) {
                    return i;
                }
            }
            return -1;
        }
    }
}

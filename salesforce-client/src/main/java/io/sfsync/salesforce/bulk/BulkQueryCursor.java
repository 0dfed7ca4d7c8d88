package io.sfsync.salesforce.bulk;

import io.sfsync.salesforce.http.RestRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The rows of a finished Bulk API 2.0 query job, one page at a time: the next page is fetched with the
 * {@code Sforce-Locator} of the previous one only when the current page is used up, and the used page is dropped
 * first, so at most one page of rows is held. Each row maps the column names as Salesforce returns them
 * (relationship paths such as {@code Account.Name}) to their values; an empty cell is null (Bulk query writes
 * nulls as empty cells, and Salesforce stores no empty strings). {@link #close()} deletes the job when
 * {@link BulkSettings#deleteQueryJobs()} says so. Not thread-safe.
 */
public final class BulkQueryCursor implements Iterator<Map<String, String>>, AutoCloseable {

    /** The {@code Sforce-Locator} value on the last page. */
    static final String NO_MORE = "null";

    private final BulkJobs jobs;
    private final String resource;
    private final BulkJobInfo job;
    private final int pageSize;
    private List<String> header = List.of();
    private List<String[]> page = List.of();
    private int index;
    private String locator;
    private boolean last;
    private int pages;
    private long returned;
    private boolean closed;

    BulkQueryCursor(BulkJobs jobs, String resource, BulkJobInfo job, int pageSize) {
        this.jobs = jobs;
        this.resource = resource;
        this.job = job;
        this.pageSize = pageSize;
        fetch();
    }

    /** The finished job (its id, object and {@code numberRecordsProcessed}). */
    public BulkJobInfo job() {
        return job;
    }

    /** The column names, as in the results' header row. */
    public List<String> header() {
        return header;
    }

    public int pagesFetched() {
        return pages;
    }

    public long rowsReturned() {
        return returned;
    }

    /** Rows of the current page not yet handed out: the rows this cursor holds. */
    public int bufferedRows() {
        return page.size() - index;
    }

    @Override
    public boolean hasNext() {
        while (index >= page.size()) {
            if (last || closed) {
                page = List.of();
                index = 0;
                return false;
            }
            page = List.of(); // drop the used page before fetching the next
            index = 0;
            fetch();
        }
        return true;
    }

    @Override
    public Map<String, String> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String[] cells = page.get(index);
        page.set(index, null);
        index++;
        returned++;
        Map<String, String> row = new LinkedHashMap<>(header.size() * 2);
        for (int i = 0; i < header.size(); i++) {
            String v = i < cells.length ? cells[i] : "";
            row.put(header.get(i), v.isEmpty() ? null : v);
        }
        return row;
    }

    /** The remaining rows as a sequential, lazy stream; closing the stream closes this cursor. */
    public Stream<Map<String, String>> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(this::close);
    }

    /** Stops reading; deletes the job if so configured (one more API call). Never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        page = List.of();
        index = 0;
        if (jobs.settings().deleteQueryJobs()) {
            jobs.deleteQuietly(resource, job.id());
        }
    }

    private void fetch() {
        StringBuilder path = new StringBuilder(resource).append('/').append(job.id()).append("/results");
        char sep = '?';
        if (pageSize > 0) {
            path.append(sep).append("maxRecords=").append(pageSize);
            sep = '&';
        }
        if (locator != null) {
            path.append(sep).append("locator=").append(RestRequest.encode(locator));
        }
        List<String[]> rows = new ArrayList<>(pageSize > 0 ? Math.min(pageSize, 10_000) : 1_000);
        boolean[] first = {true};
        String[] next = {NO_MORE};
        jobs.readCsv(RestRequest.get(path.toString()),
                response -> next[0] = response.header("Sforce-Locator").orElse(NO_MORE).trim(), cells -> {
            if (first[0]) {
                first[0] = false;
                if (header.isEmpty()) {
                    header = List.of(cells);
                }
                return;
            }
            rows.add(cells);
        });
        pages++;
        last = next[0].isEmpty() || next[0].equals(NO_MORE);
        locator = last ? null : next[0];
        page = rows;
        index = 0;
    }
}

package io.sfsync.salesforce.bulk;

import io.sfsync.salesforce.budget.Sleeper;
import io.sfsync.salesforce.error.ApiError;
import io.sfsync.salesforce.error.ErrorClassifier;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.error.RecordRejectedException;
import io.sfsync.salesforce.error.RetriableSalesforceException;
import io.sfsync.salesforce.error.SalesforceException;
import io.sfsync.salesforce.http.Json;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.http.RestResponse;
import io.sfsync.salesforce.http.RestTransport;
import io.sfsync.salesforce.http.StreamedResponse;
import io.sfsync.salesforce.metrics.CallKind;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What ingest and query jobs share: job-level calls (every one through {@link RestTransport} as
 * {@link CallKind#BULK}), waiting for a job with bounded back-off, aborting, and the exception for a failed job.
 */
final class BulkJobs {

    private static final Logger LOG = LoggerFactory.getLogger(BulkJobs.class);

    private final RestTransport transport;
    private final BulkSettings settings;
    private final Sleeper sleeper;
    private final Clock clock;

    BulkJobs(RestTransport transport, BulkSettings settings, Sleeper sleeper, Clock clock) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    BulkSettings settings() {
        return settings;
    }

    RestTransport transport() {
        return transport;
    }

    /**
     * Sends a job-level call. A 400 about a job (bad query, unknown object or field, wrong state) concerns the
     * request, not a record, so what the classifier calls a rejected record is fatal here.
     */
    RestResponse send(RestRequest request) {
        try {
            return transport.send(CallKind.BULK, request);
        } catch (RecordRejectedException e) {
            throw new FatalSalesforceException(e.getMessage(), e.httpStatus(), e.errors(), e);
        }
    }

    /** Sends a job-level call whose answer is a CSV file, read as a stream. */
    StreamedResponse sendStreamed(RestRequest request) {
        try {
            return transport.sendStreamed(CallKind.BULK, request.withHeader("Accept", "text/csv"));
        } catch (RecordRejectedException e) {
            throw new FatalSalesforceException(e.getMessage(), e.httpStatus(), e.errors(), e);
        }
    }

    /**
     * Reads a CSV answer row by row (the first row is the header), after handing over the response for its headers without holding the file; an I/O error while
     * reading is classified like one on any call (retriable).
     */
    void readCsv(RestRequest request, Consumer<StreamedResponse> onResponse, Consumer<String[]> onRow) {
        try (StreamedResponse r = sendStreamed(request);
             CSVParser parser = BulkCsv.parser(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            onResponse.accept(r);
            for (CSVRecord rec : parser) {
                onRow.accept(rec.values());
            }
        } catch (IOException e) {
            throw ErrorClassifier.fromIo(request.describe(), e);
        } catch (UncheckedIOException e) {
            throw ErrorClassifier.fromIo(request.describe(), e.getCause());
        }
    }

    BulkJobInfo create(String resource, Map<String, Object> body) {
        return BulkJobInfo.from(send(RestRequest.of("POST", resource, Json.write(body))).json());
    }

    BulkJobInfo get(String resource, String id) {
        return BulkJobInfo.from(send(RestRequest.get(resource + "/" + id)).json());
    }

    /**
     * Polls the job until it is finished: first after {@link BulkSettings#pollInitial()}, each wait 1.5 times
     * the previous up to {@link BulkSettings#pollMax()}. Bounded by {@link BulkSettings#maxWait()}, counted both
     * on the clock and as the sum of the waits asked for (so a test sleeper that does not sleep is bounded too).
     *
     * @throws RetriableSalesforceException when the job is still running after {@code maxWait}
     * @throws FatalSalesforceException     when interrupted (the thread's interrupt flag is set again)
     */
    BulkJobInfo awaitTerminal(String resource, String id) {
        Instant deadline = clock.instant().plus(settings.maxWait());
        Duration wait = settings.pollInitial();
        Duration waited = Duration.ZERO;
        int polls = 0;
        while (true) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FatalSalesforceException("waiting for bulk job " + id + ": interrupted", 0, List.of(), e);
            }
            waited = waited.plus(wait);
            BulkJobInfo info = get(resource, id);
            polls++;
            if (info.state().terminal()) {
                LOG.debug("bulk job {} is {} after {} status checks", id, info.state(), polls);
                return info;
            }
            if (waited.compareTo(settings.maxWait()) >= 0 || !clock.instant().isBefore(deadline)) {
                throw new RetriableSalesforceException("bulk job " + id + " is still " + info.state() + " after "
                        + settings.maxWait() + "; aborted", 0, List.of(), null);
            }
            long next = Math.min(settings.pollMax().toMillis(), wait.toMillis() * 3 / 2);
            wait = Duration.ofMillis(Math.max(next, settings.pollInitial().toMillis()));
        }
    }

    /**
     * Asks Salesforce to abort the job, if it is still open or running; never throws. An interrupt flag is
     * cleared for the call (the HTTP client refuses to send otherwise) and set again afterwards.
     */
    void abortQuietly(String resource, String id) {
        boolean interrupted = Thread.interrupted();
        try {
            send(RestRequest.of("PATCH", resource + "/" + id, "{\"state\":\"Aborted\"}"));
            LOG.info("bulk job {} aborted", id);
        } catch (SalesforceException | IllegalStateException e) {
            LOG.debug("bulk job {} could not be aborted (it may have finished): {}", id, e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deletes a finished job; never throws. */
    void deleteQuietly(String resource, String id) {
        boolean interrupted = Thread.interrupted();
        try {
            send(new RestRequest("DELETE", resource + "/" + id, Map.of(), null, null));
        } catch (SalesforceException e) {
            LOG.debug("bulk job {} could not be deleted: {}", id, e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The exception for a job that ended {@code Failed}: fatal (Salesforce decided, retrying the same data fails
     * the same way), carrying {@code errorMessage} as message and as an {@link ApiError} whose code is the part
     * before " : " ({@code InvalidBatch : Field name not found : Foo__c} gives {@code InvalidBatch}).
     */
    static FatalSalesforceException failed(BulkJobInfo info) {
        String message = info.errorMessage() == null ? "(no errorMessage)" : info.errorMessage();
        int sep = message.indexOf(" : ");
        String code = sep > 0 && message.substring(0, sep).matches("[A-Za-z_]+") ? message.substring(0, sep)
                : "JobFailed";
        return new FatalSalesforceException("bulk job " + info.id() + " (" + info.operation() + " " + info.object()
                + ") failed: " + message, 0, List.of(new ApiError(code, message, List.of())), null);
    }
}

package io.sfsync.emulator.soql;

import io.sfsync.emulator.data.RecordSource;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.model.Schema;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Runs SOQL against the emulator's records: the entry point for the REST query/queryAll resources and Bulk
 * query jobs.
 *
 * <pre>
 * SoqlEngine engine = new SoqlEngine(schema, records, clock);
 * QueryResult result = engine.query("SELECT Id, Account.Name FROM Contact", false);
 * result.jsonRecords("63.0");   // REST "records"
 * </pre>
 *
 * Every failure is a {@link SoqlException} carrying Salesforce's errorCode and message.
 */
public final class SoqlEngine {

    private final Schema schema;
    private final RecordSource records;
    private final Clock clock;

    /**
     * @param clock gives "today" (in UTC) for date literals such as TODAY and LAST_N_DAYS:n
     */
    public SoqlEngine(Schema schema, RecordSource records, Clock clock) {
        this.schema = Objects.requireNonNull(schema);
        this.records = Objects.requireNonNull(records);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Parses and checks a query against the schema without running it. */
    public QueryPlan prepare(String soql) {
        return new QueryPlanner(schema).plan(SoqlParser.parse(soql));
    }

    /**
     * Parses, checks and runs a query.
     *
     * @param includeDeleted true for queryAll: records in the recycle bin are returned too
     */
    public QueryResult query(String soql, boolean includeDeleted) {
        return execute(prepare(soql), includeDeleted);
    }

    /** Runs a prepared query against the records as they are now. */
    public QueryResult execute(QueryPlan plan, boolean includeDeleted) {
        Execution execution = new Execution(records, includeDeleted, LocalDate.ofInstant(clock.instant(),
                ZoneOffset.UTC));
        Stream<Row> rows;
        try (Stream<StoredRecord> stored = records.records(plan.type(), includeDeleted)) {
            rows = stored.map(r -> new Row(r, execution)).toList().stream();
        }
        if (plan.filter() != null) {
            rows = rows.filter(plan.filter()::test);
        }
        if (plan.order() != null) {
            // Stream.sorted is stable for ordered streams: ties keep creation order.
            rows = rows.sorted(plan.order());
        }
        SoqlQuery query = plan.query();
        if (query.offset().isPresent()) {
            rows = rows.skip(query.offset().getAsInt());
        }
        if (query.limit().isPresent()) {
            rows = rows.limit(query.limit().getAsInt());
        }
        List<Row> result = rows.toList();
        if (plan.isCount()) {
            return new QueryResult(plan.type(), true, result.size(), List.of(), List.of());
        }
        return new QueryResult(plan.type(), false, result.size(), plan.columns(), result);
    }
}

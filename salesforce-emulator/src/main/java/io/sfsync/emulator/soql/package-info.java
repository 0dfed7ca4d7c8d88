/**
 * SOQL for the emulator: parse, check against the {@link io.sfsync.emulator.model.Schema}, run against a
 * {@link io.sfsync.emulator.data.RecordSource}, and render rows the way Salesforce's REST API does.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link io.sfsync.emulator.soql.SoqlEngine}: {@code query(soql, includeDeleted)} for REST query/queryAll,
 *       {@code prepare(soql)} + {@code execute(plan, includeDeleted)} for Bulk query jobs;</li>
 *   <li>{@link io.sfsync.emulator.soql.QueryResult}: {@code totalSize()}, {@code jsonRecords(apiVersion)} (REST
 *       {@code records}), {@code columns()} + {@code values()} (Bulk CSV);</li>
 *   <li>{@link io.sfsync.emulator.soql.SoqlException}: {@code errorCode()} and {@code getMessage()} are the
 *       {@code errorCode} and {@code message} of Salesforce's HTTP 400 error body;</li>
 *   <li>{@link io.sfsync.emulator.soql.WireValues}: value formats shared by REST JSON and Bulk CSV.</li>
 * </ul>
 *
 * <h2>Pipeline</h2>
 * {@code SoqlLexer} (tokens) &rarr; {@code SoqlParser} ({@link io.sfsync.emulator.soql.SoqlQuery} AST) &rarr;
 * {@code QueryPlanner} with {@code FieldResolver}, {@code FilterCompiler}, {@code OrderCompiler}
 * ({@link io.sfsync.emulator.soql.QueryPlan}) &rarr; {@code SoqlEngine} (filter, stable sort, OFFSET, LIMIT)
 * &rarr; {@code RecordRenderer}. {@code QuerySource} lays out located error messages; {@code SoqlErrors} holds
 * their texts.
 *
 * <h2>Not supported</h2>
 * Valid SOQL outside the subset fails with MALFORMED_QUERY and
 * {@link io.sfsync.emulator.soql.SoqlException#unsupportedByEmulator()}: parent-to-child subqueries, semi- and
 * anti-joins, aggregate functions other than a bare {@code COUNT()}, GROUP BY / HAVING, other functions
 * (toLabel, FORMAT, convertCurrency, date functions), TYPEOF, object aliases, WITH, USING SCOPE, FOR VIEW /
 * REFERENCE / UPDATE, currency-prefixed literals ({@code USD500}) and time literals.
 */
package io.sfsync.emulator.soql;

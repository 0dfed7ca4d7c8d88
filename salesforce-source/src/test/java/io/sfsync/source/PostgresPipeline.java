package io.sfsync.source;

import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.PluginPath;
import io.sfsync.testkit.PostgresFixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the source's integration tests run against: PostgreSQL, a real Connect worker whose plugin.path holds this
 * module's packaged archive and Debezium's JDBC sink, and that sink ({@code postgres-sink.json}) writing every
 * {@code sf.*} topic into Postgres. The tests then create source connectors through the worker's REST API.
 */
final class PostgresPipeline implements AutoCloseable {

    static final String SINK = "salesforce-postgres-sink";

    final PostgresFixture postgres;
    final ConnectFixture connect;

    private PostgresPipeline(PostgresFixture postgres, ConnectFixture connect) {
        this.postgres = postgres;
        this.connect = connect;
    }

    /** Starts Postgres and the worker and creates the JDBC sink (callers await it with their own sources). */
    static PostgresPipeline start() throws IOException {
        PostgresFixture postgres = PostgresFixture.start();
        try {
            ConnectFixture connect = ConnectFixture.builder().pluginPath(PluginPath.builder().withDebeziumJdbc()
                    .addArchive(pluginArchive()).build()).start();
            PostgresPipeline pipeline = new PostgresPipeline(postgres, connect);
            connect.createConnector(Path.of("src/test/resources/connectors/postgres-sink.json"),
                    postgres.jdbcSinkConnection());
            return pipeline;
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** This module's plugin archive, as {@code mvn package} builds it. */
    static Path pluginArchive() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("salesforce-source-.*-plugin\\.zip"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("run mvn package first"));
        }
    }

    @Override
    public void close() {
        try {
            connect.close();
        } finally {
            postgres.close();
        }
    }
}

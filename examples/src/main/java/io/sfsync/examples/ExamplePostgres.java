package io.sfsync.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The Postgres side of the example loop: {@code examples/sql/setup.sql} (schema {@code salesforce}, the synced
 * tables, roles {@code sfsync_writer} and {@code sfsync_replication}, publication {@code sfsync}).
 */
public final class ExamplePostgres {

    /** The schema the synced tables live in. */
    public static final String SCHEMA = "salesforce";
    /** The role of the JDBC sinks (owner of the synced tables). */
    public static final String WRITER_ROLE = "sfsync_writer";
    /** The role of Debezium's Postgres source (REPLICATION, SELECT; no superuser). */
    public static final String REPLICATION_ROLE = "sfsync_replication";
    /** The publication Debezium decodes; also its replication slot's name in postgres-source.json. */
    public static final String PUBLICATION = "sfsync";

    private ExamplePostgres() {
    }

    /** The text of setup.sql. */
    public static String setupSql() {
        try (InputStream in = ExamplePostgres.class.getResourceAsStream("/io/sfsync/examples/sql/setup.sql")) {
            if (in == null) {
                throw new IllegalStateException("setup.sql is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read setup.sql", e);
        }
    }

    /**
     * Runs setup.sql on a connection of a superuser. The script is sent as one simple query (it has dollar-quoted
     * blocks, so it must not be split on semicolons); it is idempotent, so running it again is safe.
     */
    public static void applySetup(Connection superuser) throws SQLException {
        try (Statement statement = superuser.createStatement()) {
            statement.execute(setupSql());
        }
    }
}

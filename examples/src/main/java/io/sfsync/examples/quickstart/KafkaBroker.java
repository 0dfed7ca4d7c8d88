package io.sfsync.examples.quickstart;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kafka server in KRaft combined mode (broker and controller in one node), run in this JVM from Kafka's own
 * server classes, exactly what {@code kafka-storage.sh format} followed by {@code kafka-server-start.sh} do: the log
 * directory is formatted with a fresh cluster id, then {@link KafkaRaftServer} starts. No test harness is involved.
 *
 * <p>Single-node settings: every internal topic has one partition and replication factor 1 (Kafka's defaults of 50
 * partitions for the offsets and transaction topics cost seconds of start-up on a small machine).
 */
final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final int port;
    private final int controllerPort;
    private boolean stopped;

    private KafkaBroker(KafkaRaftServer server, int port, int controllerPort) {
        this.server = server;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats {@code logDir} (which must be empty or absent) and starts the server.
     *
     * @param port the client listener's port on 127.0.0.1; 0 picks a free one
     */
    static KafkaBroker start(Path logDir, int port) {
        int clientPort = port == 0 ? Ports.free() : port;
        int controllerPort = Ports.free();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        long started = System.nanoTime();
        KafkaConfig config = new KafkaConfig(props, false);
        format(config, logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            server.awaitShutdown();
            throw new IllegalStateException("Kafka broker did not start on port " + clientPort + ": " + e.getMessage(),
                    e);
        }
        log.info("Kafka broker (KRaft) started on 127.0.0.1:{} in {} ms", clientPort,
                (System.nanoTime() - started) / 1_000_000);
        return new KafkaBroker(server, clientPort, controllerPort);
    }

    /** What {@code kafka-storage.sh format --standalone} does for a static single-voter quorum. */
    private static void format(KafkaConfig config, Path logDir) {
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(logDir.toAbsolutePath().toString())
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka log directory " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka log directory " + logDir + ": " + e.getMessage(),
                    e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    int controllerPort() {
        return controllerPort;
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        long started = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka broker stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
}

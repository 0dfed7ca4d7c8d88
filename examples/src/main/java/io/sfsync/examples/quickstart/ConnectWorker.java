package io.sfsync.examples.quickstart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kafka Connect worker in distributed mode, started in this JVM the way {@code connect-distributed.sh}
 * starts it: {@link ConnectDistributed#startConnect(Map)} with a worker configuration, which builds the plugins (with
 * class-loader isolation per {@code plugin.path} entry), the REST server and the distributed herder. Connectors are
 * then managed through its REST API only, as in any Connect cluster.
 */
final class ConnectWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectWorker.class);
    /** The Connect group id, also the prefix of the worker's internal topics. */
    static final String GROUP_ID = "sfsync-quickstart";
    /** The name {@code org.apache.kafka.connect.runtime.Connect} gives its shutdown hook. */
    static final String CONNECT_SHUTDOWN_HOOK = "connect-shutdown-hook";

    private final Connect<DistributedHerder> connect;
    private final URI restUrl;
    private boolean stopped;

    private ConnectWorker(Connect<DistributedHerder> connect, URI restUrl) {
        this.connect = connect;
        this.restUrl = restUrl;
    }

    /**
     * Starts the worker and waits (bounded) until its REST API answers.
     *
     * @param restPort the REST listener's port on 127.0.0.1; 0 picks a free one
     */
    static ConnectWorker start(String bootstrapServers, Path pluginPath, int restPort, Duration timeout) {
        int port = restPort == 0 ? Ports.free() : restPort;
        Map<String, String> props = workerConfig(bootstrapServers, pluginPath, port);
        long started = System.nanoTime();
        keepConnectShutdownHookOut();
        Connect<DistributedHerder> connect = new ConnectDistributed().startConnect(props);
        URI restUrl = URI.create("http://127.0.0.1:" + port + "/");
        ConnectWorker worker = new ConnectWorker(connect, restUrl);
        try {
            worker.awaitReady(timeout);
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
        log.info("Connect worker started at {} in {} ms", restUrl, (System.nanoTime() - started) / 1_000_000);
        return worker;
    }

    /**
     * Connect registers its own shutdown hook ({@value #CONNECT_SHUTDOWN_HOOK}) when it starts. JVM hooks run
     * concurrently in no order, so that hook would stop the worker while the quickstart's hook stops the broker
     * under it (the worker then hangs for a minute retrying the broker). The quickstart's single hook stops the
     * worker itself, first, so Connect's hook is not registered; every other hook is, as Kafka would.
     */
    private static void keepConnectShutdownHookOut() {
        Exit.setShutdownHookAdder((name, hook) -> {
            if (CONNECT_SHUTDOWN_HOOK.equals(name)) {
                log.debug("Not registering {}: the quickstart stops the worker in order", name);
                return;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(hook, name));
        });
    }

    /** The worker configuration: Kafka's stock {@code connect-distributed.properties}, sized for one node. */
    static Map<String, String> workerConfig(String bootstrapServers, Path pluginPath, int port) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", GROUP_ID);
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("key.converter.schemas.enable", "true");
        props.put("value.converter.schemas.enable", "true");
        props.put("config.storage.topic", GROUP_ID + "-configs");
        props.put("offset.storage.topic", GROUP_ID + "-offsets");
        props.put("status.storage.topic", GROUP_ID + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.storage.partitions", "1");
        props.put("status.storage.partitions", "1");
        props.put("offset.flush.interval.ms", "1000");
        props.put("listeners", "http://127.0.0.1:" + port);
        props.put("rest.advertised.host.name", "127.0.0.1");
        props.put("rest.advertised.port", Integer.toString(port));
        props.put("plugin.path", pluginPath.toAbsolutePath().toString());
        // Every plugin on the path ships its META-INF/services files; reading those instead of scanning every jar
        // halves the worker's start-up (PLATFORM.md).
        props.put("plugin.discovery", "service_load");
        // Sinks subscribed with topics.regex see a new topic at the consumer's next metadata refresh: 1 s, not 5 min.
        props.put("consumer.metadata.max.age.ms", "1000");
        // Secrets stay out of connector configurations (and so out of the config topic and REST answers):
        // connectors refer to them as ${env:NAME} or ${file:/path/to/file.properties:key}.
        props.put("config.providers", "env,file");
        props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        props.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        return props;
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(restUrl.resolve("connectors")).timeout(Duration.ofSeconds(5))
                .GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the Connect worker", e);
            }
            sleepBriefly();
        }
        throw new IllegalStateException("The Connect worker at " + restUrl + " did not become ready within "
                + timeout.toSeconds() + " s (last answer: " + last + ")");
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Connect worker", e);
        }
    }

    /** The REST URL, with a trailing slash: {@code http://127.0.0.1:18083/}. */
    URI restUrl() {
        return restUrl;
    }

    int restPort() {
        return restUrl.getPort();
    }

    /** Stops every connector and task of this worker, the herder and the REST server; returns when all are down. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        long started = System.nanoTime();
        connect.stop();
        connect.awaitStop();
        log.info("Connect worker stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
}

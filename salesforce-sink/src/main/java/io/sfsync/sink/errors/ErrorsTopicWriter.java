package io.sfsync.sink.errors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends {@link ErrorRecord}s to the errors topic with an idempotent producer of its own (a sink task has no
 * producer from the worker). The task waits for the returned futures before it commits the offsets concerned.
 */
public final class ErrorsTopicWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorsTopicWriter.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    /**
     * @param producerOverrides further producer settings ({@code sync.errors.producer.*} without the prefix)
     */
    public ErrorsTopicWriter(String topic, String bootstrapServers, String clientId,
                             Map<String, Object> producerOverrides) {
        this.topic = topic;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putAll(producerOverrides);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(config);
    }

    /**
     * Creates the errors topic if it does not exist, with an admin client on the same cluster and client settings
     * as the producer (security settings included). Several tasks may race to create it: "already exists" is
     * success. A refusal (no CREATE permission, a topic policy, too few brokers for the replication factor) fails
     * with a message that says how to fix it.
     *
     * @param replicationFactor the replication factor, or empty for the broker's default
     * @return true if this call created the topic
     */
    public static boolean ensureTopic(String topic, String bootstrapServers, Map<String, Object> clientOverrides,
                                      int partitions, Optional<Short> replicationFactor) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Set<String> adminKeys = AdminClientConfig.configNames();
        clientOverrides.forEach((k, v) -> {
            if (adminKeys.contains(k) && !k.equals(AdminClientConfig.CLIENT_ID_CONFIG)) {
                config.put(k, v); // security and network settings; producer-only ones would only warn
            }
        });
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            if (admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                return false;
            }
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), replicationFactor)))
                    .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Created the errors topic {} ({} partitions, replication factor {})", topic, partitions,
                    replicationFactor.map(String::valueOf).orElse("the broker's default"));
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false; // another task created it first
            }
            throw new ConnectException("The errors topic " + topic + " does not exist and could not be created ("
                    + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + "). Create it "
                    + "yourself, grant this worker CREATE on it, or change sync.errors.topic.partitions / "
                    + "sync.errors.topic.replication.factor.", e.getCause());
        } catch (TimeoutException e) {
            throw new ConnectException("The errors topic " + topic + " could not be checked or created within "
                    + ADMIN_TIMEOUT.toSeconds() + " s; is sync.errors.bootstrap.servers (" + bootstrapServers
                    + ") reachable?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while creating the errors topic " + topic, e);
        }
    }

    public String topic() {
        return topic;
    }

    public Future<RecordMetadata> send(ErrorRecord error) {
        return producer.send(new ProducerRecord<>(topic, error.keyJson(), error.valueJson()));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}

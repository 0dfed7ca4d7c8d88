package io.sfsync.sink.errors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * Sends {@link ErrorRecord}s to the errors topic with an idempotent producer of its own (a sink task has no
 * producer from the worker). The task waits for the returned futures before it commits the offsets concerned.
 */
public final class ErrorsTopicWriter implements AutoCloseable {

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

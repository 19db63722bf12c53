package io.tributary.writer.consume;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventSerializer;
import io.tributary.model.ChangeTopics;
import io.tributary.writer.progress.WriterMetrics;
import io.tributary.writer.sources.SourceActivity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;

/**
 * Sends a record that can never be applied to its dead-letter topic, {@code <topic>.dlt}, through
 * spring-kafka's {@link DeadLetterPublishingRecoverer}: the original key and value (the raw bytes when
 * the value could not be read), and the reason in the standard {@code kafka_dlt-exception-*} headers,
 * next to the original topic, partition and offset. The partition is left to the producer's partitioner
 * (by key), so the dead-letter topic may have any number of partitions. Each one is counted per entity (a meter) and
 * per source ({@code GET /status/sources}).
 */
final class DeadLetterPublisher implements ConsumerAwareRecordRecoverer, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final DefaultKafkaProducerFactory<String, Object> producerFactory;
    private final DeadLetterPublishingRecoverer recoverer;
    private final WriterMetrics metrics;
    private final SourceActivity sources;

    DeadLetterPublisher(Map<String, Object> producerProperties, WriterMetrics metrics, SourceActivity sources) {
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(ChangeEvent.class, new ChangeEventSerializer());
        this.producerFactory = new DefaultKafkaProducerFactory<>(producerProperties, new StringSerializer(),
                new DelegatingByTypeSerializer(byType));
        this.recoverer = new DeadLetterPublishingRecoverer(new KafkaTemplate<>(producerFactory),
                (record, exception) -> new TopicPartition(ChangeTopics.deadLetterOf(record.topic()), -1));
        this.recoverer.setExceptionHeadersCreator(DeadLetterPublisher::exceptionHeaders);
        this.metrics = metrics;
        this.sources = sources;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, Exception exception) {
        recoverer.accept(record, consumer, exception);
        String entity = entity(record.topic());
        metrics.deadLettered(entity);
        sources.deadLettered(record.key() instanceof String key ? key : null, entity);
        LOG.warn("Dead-lettered {} to {}: {}", ChangeEventListener.describe(record),
                ChangeTopics.deadLetterOf(record.topic()), reason(exception).getMessage());
    }

    /**
     * The standard {@code kafka_dlt-exception-*} headers, describing the reason rather than spring-kafka's
     * wrappers: the default would say "Listener failed" or "failed to deserialize" in the message header.
     * The stack trace header still holds the whole chain.
     */
    static void exceptionHeaders(Headers headers, Exception exception, boolean isKey, HeaderNames names) {
        Throwable reason = reason(exception);
        HeaderNames.ExceptionInfo info = names.getExceptionInfo();
        headers.add(isKey ? info.getKeyExceptionFqcn() : info.getExceptionFqcn(), utf8(reason.getClass().getName()));
        if (!isKey && reason.getCause() != null) {
            headers.add(info.getExceptionCauseFqcn(), utf8(reason.getCause().getClass().getName()));
        }
        headers.add(isKey ? info.getKeyExceptionMessage() : info.getExceptionMessage(),
                utf8(String.valueOf(reason.getMessage())));
        StringWriter trace = new StringWriter();
        exception.printStackTrace(new PrintWriter(trace));
        headers.add(isKey ? info.getKeyExceptionStacktrace() : info.getExceptionStacktrace(), utf8(trace.toString()));
    }

    /** The innermost exception that is not one of spring-kafka's wrappers. */
    static Throwable reason(Throwable exception) {
        Throwable reason = exception;
        while (reason.getCause() != null && (reason instanceof ListenerExecutionFailedException
                || reason instanceof BatchListenerFailedException || reason instanceof DeserializationException)) {
            reason = reason.getCause();
        }
        return reason;
    }

    /** The entity the topic is of; "unknown" for a topic not named as a change topic (counted all the same). */
    private static String entity(String topic) {
        try {
            return ChangeTopics.entityOf(topic);
        } catch (IllegalArgumentException e) {
            return "unknown";
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void destroy() {
        producerFactory.destroy();
    }
}

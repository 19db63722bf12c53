package io.tributary.poller.rest.definition;

import io.tributary.mapping.declarative.MappingFailedException;
import io.tributary.model.ChangeTopics;
import io.tributary.model.spi.SourcePartition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Records a source gave us that cannot be mapped, sent as they came (the record's JSON) to
 * {@code tributary.changes.<entity>.dlt} — the topic where the writer dead-letters what it cannot apply —
 * keyed by source id, with spring-kafka's standard headers ({@code kafka_dlt-exception-message} = the
 * field path and reason, {@code kafka_dlt-exception-fqcn}, {@code kafka_dlt-original-topic}) and two of
 * ours, {@value #FIELD_PATH} and {@value #REASON}, for machines. Sent synchronously: the cursor that
 * passes the record is committed only after its dead letter is safe.
 */
final class DeadLetters {

    static final String FIELD_PATH = "tributary_dlt-field-path";
    static final String REASON = "tributary_dlt-reason";
    static final String SOURCE = "tributary_dlt-source";

    private final KafkaTemplate<String, String> template;
    private final Duration timeout;

    DeadLetters(KafkaTemplate<String, String> template, Duration timeout) {
        this.template = template;
        this.timeout = timeout;
    }

    void send(SourcePartition partition, String recordJson, MappingFailedException failure) throws InterruptedException {
        String changeTopic = ChangeTopics.forEntity(partition.entity());
        ProducerRecord<String, String> record = new ProducerRecord<>(ChangeTopics.deadLetterOf(changeTopic),
                partition.sourceId(), recordJson);
        Headers headers = record.headers();
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(failure.getMessage()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, utf8(failure.getClass().getName()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(changeTopic));
        headers.add(FIELD_PATH, utf8(failure.fieldPath()));
        headers.add(REASON, utf8(failure.reason()));
        headers.add(SOURCE, utf8(partition.sourceId()));
        try {
            template.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Failed to dead-letter a " + partition.entity() + " record of "
                    + partition.sourceId() + " to " + record.topic() + ": " + cause, cause);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package io.tributary.ingest.receive;

import io.tributary.model.ChangeTopics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * A verified webhook whose record cannot be mapped, as a dead letter (decision 0031): its raw body, as received, on
 * {@code tributary.changes.<entity>.dlt} keyed by source id, with the headers the poller's dead letters carry
 * (spring-kafka's {@code kafka_dlt-exception-message}, {@code -fqcn}, {@code -original-topic}, and
 * {@code tributary_dlt-field-path}, {@code -reason}, {@code -source}), plus {@code tributary_dlt-origin}
 * ({@code WEBHOOK}) and {@code tributary_dlt-delivery-id} to find the sender's delivery. The body was verified, so it
 * is what the source sent; it holds no secret of ours.
 */
final class WebhookDeadLetters {

    static final String FIELD_PATH = "tributary_dlt-field-path";
    static final String REASON = "tributary_dlt-reason";
    static final String SOURCE = "tributary_dlt-source";
    static final String ORIGIN = "tributary_dlt-origin";
    static final String DELIVERY_ID = "tributary_dlt-delivery-id";

    private WebhookDeadLetters() {
    }

    static ProducerRecord<String, byte[]> of(String sourceId, WebhookRejectedException.Unmappable unmappable, byte[] body,
            @Nullable String deliveryId) {
        String changeTopic = ChangeTopics.forEntity(unmappable.entity());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(ChangeTopics.deadLetterOf(changeTopic), sourceId, body);
        Headers headers = record.headers();
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8("field '" + unmappable.fieldPath() + "': " + unmappable.problem()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, utf8(unmappable.failure()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(changeTopic));
        headers.add(FIELD_PATH, utf8(unmappable.fieldPath()));
        headers.add(REASON, utf8(unmappable.problem()));
        headers.add(SOURCE, utf8(sourceId));
        headers.add(ORIGIN, utf8("WEBHOOK"));
        if (deliveryId != null) {
            headers.add(DELIVERY_ID, utf8(deliveryId));
        }
        return record;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

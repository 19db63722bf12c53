package io.tributary.poller.rest.definition;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.model.spi.SourceBatch;
import io.tributary.model.spi.SourceTask;
import io.tributary.poller.runtime.PollerProperties;
import io.tributary.poller.status.SourceActivity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.util.unit.DataSize;

/** Builds the {@code rest} kind outside Spring for unit tests: a mock producer for dead letters, own Netty resources. */
final class TestSources implements AutoCloseable {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** KafkaTemplate closes a mock factory's producer after each send: one producer per send, all kept. */
    private final List<MockProducer<String, String>> deadLetterProducers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How many of the next dead letters fail to send (the producer throws, as when Kafka is unreachable). */
    final java.util.concurrent.atomic.AtomicInteger deadLetterFailures = new java.util.concurrent.atomic.AtomicInteger();
    final ReactorResourceFactory resources = new ReactorResourceFactory();
    /** The status the kind reports rejected records to; a test registers the partitions it wants to see there. */
    final SourceActivity activity = new SourceActivity(java.time.InstantSource.system());
    final RestSourceKind kind;

    TestSources() {
        resources.setUseGlobalResources(false);
        resources.setShutdownQuietPeriod(Duration.ZERO);
        resources.start();
        kind = new RestSourceKind(registry, resources, new KafkaTemplate<>(new MockProducerFactory<>(() -> {
            MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
            if (deadLetterFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                producer.sendException = new org.apache.kafka.common.errors.TimeoutException("Kafka unreachable (test)");
            }
            deadLetterProducers.add(producer);
            return producer;
        })),
                new PollerProperties(List.of(), 1, Duration.ofSeconds(10), new PollerProperties.Topics(1, (short) -1, Duration.ofSeconds(1))),
                activity);
    }

    /** Every dead letter sent, in order. */
    List<org.apache.kafka.clients.producer.ProducerRecord<String, String>> deadLetters() {
        return deadLetterProducers.stream().flatMap(producer -> producer.history().stream()).toList();
    }

    static RestSourceProperties properties(Path definition) {
        return new RestSourceProperties(definition, Duration.ofSeconds(5), DataSize.ofMegabytes(4), 1000, null, null);
    }

    static Path write(Path dir, String name, String yaml) {
        try {
            return Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One pass: the batches up to (and including) the one after which the task says it is caught up. */
    static List<SourceBatch> pass(SourceTask task) throws InterruptedException {
        List<SourceBatch> batches = new ArrayList<>();
        for (Optional<SourceBatch> batch = task.poll(); batch.isPresent(); batch = task.poll()) {
            batches.add(batch.get());
            if (batches.size() > 10_000) {
                throw new AssertionError("the pass does not end");
            }
        }
        return batches;
    }

    /**
     * An albums definition: {@code auth}, {@code pagination} and {@code records} as YAML flow mappings; the
     * mapping reaches into a nested artist and maps the track list element by element.
     */
    static String albums(String baseUrl, String auth, String pagination, String records) {
        return """
                organization: test-org
                id: albums-api
                kind: rest
                baseUrl: %s
                auth: %s
                schedule: {interval: 200ms}
                retry: {maxAttempts: 4, initialBackoff: 10ms, maxBackoff: 50ms}
                entities:
                  - name: albums
                    endpoint: {path: /albums}
                    pagination: %s
                    incremental: {param: updated_since, format: epoch-millis}
                    records: %s
                    mapping:
                      key: id
                      version: {source: updatedAt, format: epoch-millis}
                      fields:
                        id: {type: string, source: id, required: true}
                        title: {type: string, source: title, required: true, transforms: [trim]}
                        artist: {type: string, source: artist.name, required: true}
                        country: {type: string, source: artist.origin.country, default: unknown}
                        tracks:
                          type: array
                          source: tracks
                          items:
                            title: {type: string, source: name, required: true}
                            seconds: {type: integer, source: length.s}
                    target:
                      table: albums
                      columns:
                        - {name: title, type: text, required: true}
                        - {name: artist, type: text, required: true}
                        - {name: country, type: text, required: true}
                        - {name: tracks, type: json}
                """.formatted(baseUrl, auth, pagination, records);
    }

    @Override
    public void close() {
        resources.stop();
    }
}

package io.tributary.mapping.declarative;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.ChangeEvent;
import io.tributary.model.Origin;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded random forum records (valid ones and broken ones) and the check that a declarative mapping of
 * the forum contract agrees with {@link ForumRecordNormalizer}: equal events for every valid record, a
 * refusal for every record it refuses.
 */
final class ForumEquivalence {

    static final List<String> ENTITIES = List.of("users", "sections", "topics", "messages");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-21T11:00:00Z");
    private static final String[] TEXTS = {"", "plain", "héllo 👋 \"quoted\"\nשלום", "  spaced  ", "x".repeat(5000),
            "O'Brien & <b>", "null", "42"};

    private ForumEquivalence() {
    }

    /**
     * Compares {@code count} records per entity; returns how many of them were refused (by both).
     * {@code mappings} gives the declarative mapping of an entity.
     */
    static int compare(long seed, int count, Function<String, RecordMapping> mappings) {
        Random random = new Random(seed);
        int refused = 0;
        for (String entity : ENTITIES) {
            ForumRecordNormalizer reference = new ForumRecordNormalizer("forum-sim", entity, Origin.POLL,
                    InstantSource.fixed(NOW));
            DeclarativeNormalizer declarative = new DeclarativeNormalizer("forum-sim", entity, Origin.POLL,
                    InstantSource.fixed(NOW), mappings.apply(entity));
            for (int i = 0; i < count; i++) {
                ObjectNode record = record(random, entity, i);
                boolean broken = random.nextInt(4) == 0;
                String breakage = broken ? breakOne(random, record) : "none";
                ChangeEvent expected;
                try {
                    expected = reference.normalize(record);
                } catch (RecordRejectedException e) {
                    refused++;
                    assertThat(catchRejection(() -> declarative.normalize(record)))
                            .as("%s %s (broken: %s) is refused by ForumRecordNormalizer (%s), so by the mapping too",
                                    entity, record, breakage, e.getMessage())
                            .isInstanceOf(MappingFailedException.class);
                    continue;
                }
                ChangeEvent actual = declarative.normalize(record);
                assertThat(actual).as("%s %s (broken: %s)", entity, record, breakage).isEqualTo(expected);
                assertThat(actual.payload()).containsExactlyEntriesOf(expected.payload());
            }
        }
        return refused;
    }

    private static ObjectNode record(Random random, String entity, int i) {
        ObjectNode record = JSON.createObjectNode();
        record.put("id", entity.charAt(0) + "-" + random.nextInt(1_000_000) + "-" + i);
        Instant created = Instant.ofEpochMilli(1_600_000_000_000L + random.nextLong(200_000_000_000L));
        Instant updated = created.plusMillis(random.nextLong(10_000_000_000L));
        for (String field : ForumRecordNormalizer.FIELDS.get(entity)) {
            switch (field) {
                case "created_at" -> record.put(field, created.toString());
                case "updated_at" -> record.put(field, updated.toString());
                case "parent_id" -> {
                    switch (random.nextInt(3)) {
                        case 0 -> record.putNull(field);
                        case 1 -> { } // absent: a top-level message may omit it
                        default -> record.put(field, "m-" + random.nextInt(1000));
                    }
                }
                default -> record.put(field, field.endsWith("_id") ? field.charAt(0) + "-" + random.nextInt(1000)
                        : TEXTS[random.nextInt(TEXTS.length)]);
            }
        }
        if (random.nextBoolean()) {
            record.put("extra", random.nextInt()); // fields outside the contract are ignored by both
        }
        return record;
    }

    /** Breaks the record in one of the ways a server may; returns what was done. */
    private static String breakOne(Random random, ObjectNode record) {
        List<String> fields = List.copyOf(record.propertyNames());
        String field = fields.get(random.nextInt(fields.size()));
        return switch (random.nextInt(7)) {
            case 0 -> {
                record.remove(field);
                yield "removed " + field;
            }
            case 1 -> {
                record.putNull(field);
                yield "null " + field;
            }
            case 2 -> {
                record.put(field, 5);
                yield "number " + field;
            }
            case 3 -> {
                record.put("updated_at", Map.of(0, "yesterday", 1, "2026-11-21", 2, "1969-12-31T23:59:59Z")
                        .get(random.nextInt(3)));
                yield "bad updated_at " + record.get("updated_at");
            }
            case 4 -> {
                record.put("id", random.nextBoolean() ? " " : "x".repeat(600));
                yield "bad id";
            }
            case 5 -> {
                record.set(field, JSON.createObjectNode().put("nested", true));
                yield "object " + field;
            }
            default -> {
                record.put(field, true);
                yield "boolean " + field;
            }
        };
    }

    private static Throwable catchRejection(Runnable runnable) {
        try {
            runnable.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** A JSON tree from test resources. */
    static JsonNode resource(String name, tools.jackson.databind.ObjectMapper mapper) {
        try (var in = ForumEquivalence.class.getResourceAsStream(name)) {
            return mapper.readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

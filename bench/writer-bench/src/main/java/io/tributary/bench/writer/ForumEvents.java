package io.tributary.bench.writer;

import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A forum of {@code records} change events in the proportions of the initial-sync benchmark (users 5%,
 * 100 sections, topics 10%, messages the rest, about half of them replies), as the poller would publish
 * them: random-looking external ids like the simulator's (so keys do not arrive in index order), bodies
 * of 40-400 characters, parents before children. Deterministic for a seed.
 */
final class ForumEvents {

    static final String SOURCE = "forum-sim";
    private static final char[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final String WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor"
            + " incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco";

    private ForumEvents() {
    }

    /** Every event, users first, then sections, topics, messages (each in creation order). */
    static List<ChangeEvent> generate(int records, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int users = Math.max(1, records / 20);
        int sections = Math.min(100, Math.max(1, records / 1000));
        int topics = Math.max(1, records / 10);
        int messages = records - users - sections - topics;
        long version = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        Instant observed = Instant.now();
        List<ChangeEvent> events = new ArrayList<>(records);
        for (int i = 0; i < users; i++) {
            String id = id(1, i);
            events.add(upsert("users", id, ++version, observed, fields("id", id, "name", "user " + id,
                    "email", id + "@example.com", "created_at", at(version), "updated_at", at(version))));
        }
        for (int i = 0; i < sections; i++) {
            String id = id(2, i);
            events.add(upsert("sections", id, ++version, observed, fields("id", id, "title", text(rnd, 10, 40),
                    "created_at", at(version), "updated_at", at(version))));
        }
        for (int i = 0; i < topics; i++) {
            String id = id(3, i);
            events.add(upsert("topics", id, ++version, observed, fields("id", id,
                    "section_id", id(2, rnd.nextInt(sections)), "user_id", id(1, rnd.nextInt(users)),
                    "title", text(rnd, 10, 60), "created_at", at(version), "updated_at", at(version))));
        }
        int[] lastInTopic = new int[topics];
        java.util.Arrays.fill(lastInTopic, -1);
        for (int i = 0; i < messages; i++) {
            String id = id(4, i);
            int topic = rnd.nextInt(topics);
            String parent = lastInTopic[topic] >= 0 && rnd.nextBoolean() ? id(4, lastInTopic[topic]) : null;
            lastInTopic[topic] = i;
            events.add(upsert("messages", id, ++version, observed, fields("id", id, "topic_id", id(3, topic),
                    "user_id", id(1, rnd.nextInt(users)), "parent_id", parent, "body", text(rnd, 40, 400),
                    "created_at", at(version), "updated_at", at(version))));
        }
        return events;
    }

    /** The same event with a newer version and body/title, as an update at the source would publish it. */
    static ChangeEvent newer(ChangeEvent event, long versionDelta) {
        Map<String, Object> payload = new LinkedHashMap<>(event.payload());
        long version = event.sourceVersion() + versionDelta;
        payload.put("updated_at", at(version));
        payload.computeIfPresent("body", (k, v) -> v + " (edited)");
        return upsert(event.entity(), event.externalId(), version, event.observedAt(), payload);
    }

    private static ChangeEvent upsert(String entity, String id, long version, Instant observed,
            Map<String, Object> payload) {
        return ChangeEvent.of(SOURCE, entity, id, Operation.UPSERT, version, observed, Origin.POLL, payload);
    }

    private static String at(long version) {
        return Instant.ofEpochMilli(version).toString();
    }

    /** Like the simulator's ids: a bijective scramble of the sequence number in base 62. */
    static String id(int collection, long sequence) {
        long value = mix64(sequence + mix64(0x9E3779B97F4A7C15L * collection));
        char[] buf = new char[11];
        int pos = buf.length;
        do {
            buf[--pos] = DIGITS[(int) Long.remainderUnsigned(value, 62)];
            value = Long.divideUnsigned(value, 62);
        } while (value != 0);
        return new String(buf, pos, buf.length - pos);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String text(SplittableRandom rnd, int min, int max) {
        int length = min + rnd.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            int start = rnd.nextInt(WORDS.length() - 12);
            sb.append(WORDS, start, start + 1 + rnd.nextInt(11)).append(' ');
        }
        sb.setLength(length);
        return sb.toString();
    }

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}

package io.tributary.ingest.receive;

import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.mapping.RecordRejectedException;
import io.tributary.mapping.declarative.DeclarativeNormalizer;
import io.tributary.mapping.declarative.MappingFailedException;
import io.tributary.mapping.declarative.RecordMapping;
import io.tributary.mapping.declarative.SourcePath;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventJson;
import io.tributary.model.ChangeKey;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.model.RefreshRequest;
import io.tributary.model.RefreshRequestSerializer;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A verified webhook body ({@code {"type": "{singular}.{created|updated|deleted}", "timestamp": "...",
 * "data": {...}}}) → what to publish:
 * <ul>
 *   <li>{@code *.deleted} → a DELETE event, version = the event's {@code timestamp} in epoch ms (deletes
 *       are final in the writer: ids are never reused);</li>
 *   <li>{@code *.created|updated} with the full record → the UPSERT that the poller would publish for the
 *       same version (same mapping code — the forum's, or the source definition's declarative mapping — same
 *       deterministic event id), origin {@code WEBHOOK};</li>
 *   <li>{@code *.created|updated} with only {@code {"id": ...}} (a thin event) → a refresh request, which
 *       the poller serves by reading the record ({@code GET /api/{collection}/{id}}; 404 → DELETE).</li>
 * </ul>
 * Anything else is refused with {@link WebhookRejectedException} naming the problem (answered 400).
 */
final class WebhookEventMapper {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RefreshRequestSerializer REFRESH = new RefreshRequestSerializer();

    private final InstantSource clock;

    WebhookEventMapper(InstantSource clock) {
        this.clock = clock;
    }

    Publication map(ConfiguredSource source, byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new WebhookRejectedException("malformed-json", "The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new WebhookRejectedException("malformed-event", "The body must be a JSON object");
        }
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isString()) {
            throw new WebhookRejectedException("malformed-event", "'type' is missing or not a string");
        }
        String type = typeNode.stringValue();
        int dot = type.lastIndexOf('.');
        String entity = dot > 0 ? source.entities().get(type.substring(0, dot)) : null;
        String action = dot > 0 ? type.substring(dot + 1) : "";
        if (entity == null || !(action.equals("created") || action.equals("updated") || action.equals("deleted"))) {
            throw new WebhookRejectedException("unknown-event-type", "Unknown event type '" + abbreviate(type)
                    + "' (expected {" + String.join("|", new java.util.TreeSet<>(source.entities().keySet()))
                    + "}.{created|updated|deleted})");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new WebhookRejectedException("malformed-event", "'data' is missing or not a JSON object");
        }
        RecordMapping mapping = source.mappings().get(entity);
        String id = mapping == null ? ForumRecordNormalizer.id(data) : key(mapping, data);
        if (id == null) {
            String problem = "'data." + (mapping == null ? "id" : keyPath(mapping).text()) + "' is missing or not a non-blank string";
            throw new WebhookRejectedException("unmappable-record", problem, new WebhookRejectedException.Unmappable(
                    entity, mapping == null ? "id" : mapping.key(), problem, RecordRejectedException.class.getName()));
        }
        try {
            if (action.equals("deleted")) {
                return delete(source, entity, id, timestamp(root));
            }
            if (data.size() == 1) {
                return refresh(source, entity, id, type);
            }
            // the same mapping as the poller's, so a record polled and pushed makes the same event (same id)
            ChangeEvent event = mapping == null
                    ? new ForumRecordNormalizer(source.id(), entity, Origin.WEBHOOK, clock).normalize(data)
                    : new DeclarativeNormalizer(source.id(), entity, Origin.WEBHOOK, clock, mapping).normalize(data);
            return new Publication("upsert", entity, event.topic(), event.key().encode(), ChangeEventJson.write(event),
                    event.eventId());
        } catch (RecordRejectedException | IllegalArgumentException e) { // MappingFailedException included
            WebhookRejectedException.Unmappable unmappable = e instanceof MappingFailedException failed
                    ? new WebhookRejectedException.Unmappable(entity, failed.fieldPath(), failed.reason(), e.getClass().getName())
                    : new WebhookRejectedException.Unmappable(entity, "$", String.valueOf(e.getMessage()), e.getClass().getName());
            throw new WebhookRejectedException("unmappable-record", "The " + type + " record cannot be mapped: "
                    + e.getMessage(), unmappable);
        }
    }

    /** The record's key where the definition's mapping says, or null when it is not a non-blank string or number. */
    private static @Nullable String key(RecordMapping mapping, JsonNode data) {
        JsonNode key = keyPath(mapping).read(data);
        if (key == null || !(key.isString() || key.isIntegralNumber())) {
            return null;
        }
        String text = key.asString().strip();
        return text.isEmpty() ? null : text;
    }

    private static SourcePath keyPath(RecordMapping mapping) {
        return java.util.Objects.requireNonNull(mapping.fields().get(mapping.key()).source(), "the key's source path");
    }

    private Publication delete(ConfiguredSource source, String entity, String id, Instant at) {
        ChangeEvent event = ChangeEvent.of(source.id(), entity, id, Operation.DELETE, at.toEpochMilli(), clock.instant(),
                Origin.WEBHOOK, Map.of());
        return new Publication("delete", entity, event.topic(), event.key().encode(), ChangeEventJson.write(event),
                event.eventId());
    }

    private Publication refresh(ConfiguredSource source, String entity, String id, String type) {
        RefreshRequest request = new RefreshRequest(source.id(), entity, id, clock.instant(), Origin.WEBHOOK,
                "thin " + type + " event");
        return new Publication("refresh", entity, RefreshRequest.TOPIC, new ChangeKey(source.id(), id).encode(),
                REFRESH.serialize(RefreshRequest.TOPIC, request), null);
    }

    private static Instant timestamp(JsonNode root) {
        JsonNode value = root.get("timestamp");
        if (value == null || !value.isString()) {
            throw new WebhookRejectedException("malformed-event", "'timestamp' is missing or not a string");
        }
        try {
            Instant at = Instant.parse(value.stringValue());
            if (at.isBefore(Instant.EPOCH)) {
                throw new WebhookRejectedException("malformed-event", "'timestamp' is before 1970");
            }
            return at;
        } catch (DateTimeParseException e) {
            throw new WebhookRejectedException("malformed-event", "'timestamp' is not an ISO-8601 instant: '"
                    + abbreviate(value.stringValue()) + "'");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}

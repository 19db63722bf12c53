package io.tributary.writer.outbound;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.definition.Delivery;
import io.tributary.definition.Webhooks;
import io.tributary.mapping.declarative.MappingFailedException;
import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.LocalChangeJson;
import io.tributary.model.outbound.LocalOperation;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.listener.MessageListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delivers one local change at a time (records of one key arrive in order: a row's CREATE before its edits).
 * Returns normally when the change is delivered or deliberately not (the row was deleted before its create was
 * delivered; already delivered; a conflict the source wins); throws {@link TransientDeliveryException} to have it
 * retried and {@link PermanentDeliveryException} to have it dead-lettered. The container commits the offset only
 * after either.
 */
final class LocalChangeDelivery implements MessageListener<String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(LocalChangeDelivery.class);
    private static final int REMEMBERED_PUSHES = 10_000;

    private final Supplier<DeliveryRoutes> routes;
    private final LocalRows rows;
    private final MeterRegistry meters;
    /** Per row, the source version our last push produced: the source's echo of it is no conflict. */
    private final Map<RowKey, Long> pushedVersions = remembered();

    /**
     * Creates the source made whose write-back to the row failed (the main database busy or down), per row: the
     * redelivered CREATE stores this answer instead of asking the source to create the record again — which a source
     * without idempotency keys would do. Kept until stored; lost with the process or when pushed out by
     * {@value #REMEMBERED_PUSHES} others (then the idempotency key, where the source takes one, is what prevents a
     * second record: decision 0025).
     */
    private final Map<RowKey, Created> createdNotStored = remembered();

    private record Created(String externalId, long version) {
    }

    /**
     * A row across the two-way tables: {@link LocalChange#key()} (source and local id) is not, as each table numbers
     * its own rows — row 5 of one entity must not take the create or the pushed version of row 5 of another.
     */
    private record RowKey(String entity, String sourceId, long localId) {
        static RowKey of(LocalChange change) {
            return new RowKey(change.entity(), change.sourceId(), change.localId());
        }
    }

    /** The {@value #REMEMBERED_PUSHES} rows last used, safe across threads: bounded however many rows change. */
    private static <V> Map<RowKey, V> remembered() {
        return Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<RowKey, V> eldest) {
                return size() > REMEMBERED_PUSHES;
            }
        });
    }

    /** {@code routes}: where each change goes now, read once per change (a live definition may replace them). */
    LocalChangeDelivery(Supplier<DeliveryRoutes> routes, LocalRows rows, MeterRegistry meters) {
        this.routes = routes;
        this.rows = rows;
        this.meters = meters;
    }

    static String targetKey(String sourceId, String table) {
        return sourceId + "/" + table;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        LocalChange change;
        try {
            change = LocalChangeJson.read(record.value());
        } catch (RuntimeException e) {
            count("unknown", "unknown", "unknown", "dead-lettered");
            throw new PermanentDeliveryException("Not a local change at " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + ": " + e.getMessage());
        }
        DeliveryRoutes current = routes.get();
        DeliveryTarget target = current.targets().get(targetKey(change.sourceId(), change.entity()));
        String op = change.op().name().toLowerCase(java.util.Locale.ROOT);
        if (target == null) {
            count(change.sourceId(), change.entity(), op, "dead-lettered");
            throw new PermanentDeliveryException("No delivery is configured for entity '" + change.entity()
                    + "' of source '" + change.sourceId() + "' (tributary.writer.outbound.sources, or a two-way"
                    + " definition on the config topic)");
        }
        if (current.pausedSources().contains(change.sourceId())) {
            count(change.sourceId(), change.entity(), op, "paused");
            // waits in its partition, in order, until the source is resumed (or its topic is no longer consumed)
            throw new TransientDeliveryException("Source '" + change.sourceId() + "' is paused: " + op + " of row "
                    + change.localId() + " of " + change.entity() + " waits until it is resumed");
        }
        MDC.put("source", change.sourceId());
        MDC.put("entity", change.entity());
        MDC.put("eventId", change.changeId());
        try {
            String outcome = switch (change.op()) {
                case CREATE -> create(change, target, current);
                case UPDATE -> update(change, target, current);
                case DELETE -> delete(change, target, current);
            };
            count(change.sourceId(), change.entity(), op, outcome);
            LOG.debug("{} of row {}: {}", change.op(), change.localId(), outcome);
        } catch (PermanentDeliveryException e) {
            count(change.sourceId(), change.entity(), op, "dead-lettered");
            LOG.warn("Dead-lettering: {}", e.logLine());
            throw e;
        } catch (TransientDeliveryException e) {
            count(change.sourceId(), change.entity(), op, "retrying");
            LOG.warn("Will retry: {}", e.getMessage());
            throw e;
        } catch (SQLException e) {
            count(change.sourceId(), change.entity(), op, "retrying");
            LOG.warn("Will retry: reading or writing row {} of {} in the main database failed: {}", change.localId(),
                    change.entity(), e.toString());
            throw new TransientDeliveryException("Failed to read or write row " + change.localId() + " of "
                    + change.entity() + " in the main database", e);
        } finally {
            MDC.remove("source");
            MDC.remove("entity");
            MDC.remove("eventId");
        }
    }

    private String create(LocalChange change, DeliveryTarget target, DeliveryRoutes routes) throws SQLException {
        RowKey key = RowKey.of(change);
        Optional<LocalRows.Row> row = rows.find(target.table(), change.localId());
        if (row.isEmpty() || row.get().deleted()) {
            // deleted before its create was delivered: nothing to create (its DELETE is skipped too); a create made
            // whose write-back failed meanwhile stays at the source (decision 0025, known limits)
            createdNotStored.remove(key);
            return "skipped";
        }
        if (row.get().externalId() != null) {
            createdNotStored.remove(key);
            return "duplicate"; // delivered before (a redelivery after the write-back)
        }
        if (!sends(target, LocalOperation.CREATE)) {
            return "skipped"; // this source is not sent creates (its outbound webhooks do not list them)
        }
        Created made = createdNotStored.get(key);
        if (made == null) {
            made = createAtSource(change, target, routes);
            createdNotStored.put(key, made);
        } else {
            LOG.info("Storing the id {} the source gave row {} of {} earlier (its write-back failed)", made.externalId(),
                    change.localId(), change.entity());
        }
        boolean merged = rows.storeCreated(target.table(), change.sourceId(), change.localId(), made.externalId(),
                made.version(), target.columns());
        createdNotStored.remove(key);
        pushedVersions.put(key, made.version());
        LOG.info("Created row {} of {} at the source as {}{}", change.localId(), change.entity(), made.externalId(),
                merged ? " (merged with the row the poller had brought in)" : "");
        return "delivered";
    }

    private Created createAtSource(LocalChange change, DeliveryTarget target, DeliveryRoutes routes)
            throws SQLException {
        ObjectNode body = ReverseMapping.body(target.entity(), fields(change, target));
        Webhooks.Outbound webhook = target.webhooks().get(LocalOperation.CREATE);
        SourceClient.Answer answer = webhook != null
                ? routes.webhooks().get(webhook).send(what("create", change), change, "create", body)
                : client(routes, change).call(what("create", change), rest(target).create(), null, body,
                        rest(target).idempotencyKeyHeader(), change.changeId(), null);
        if (answer.status() == 404 || answer.body() == null) {
            throw new PermanentDeliveryException(what("create", change) + ": the source answered " + answer.status()
                    + (answer.body() == null ? " without a body" : "") + noIdConsequence(webhook));
        }
        JsonNode id = target.responseId().read(answer.body());
        if (id == null || id.isNull() || id.isContainer()) {
            throw new PermanentDeliveryException(what("create", change) + ": the response has no id at '"
                    + target.responseId().text() + "'" + noIdConsequence(webhook));
        }
        return new Created(id.asString(), version(target, answer.body()));
    }

    private String update(LocalChange change, DeliveryTarget target, DeliveryRoutes routes) throws SQLException {
        String externalId = externalId(change, target);
        if (externalId == null) {
            return "skipped";
        }
        if (!sends(target, LocalOperation.UPDATE)) {
            return "skipped";
        }
        Check check = checkConflict(change, target, routes, externalId);
        if (check.verdict() != Verdict.PUSH) {
            return "conflict-dropped";
        }
        long ownPush = pushedVersions.getOrDefault(RowKey.of(change), -1L);
        ObjectNode body = ReverseMapping.body(target.entity(), fields(change, target));
        Webhooks.Outbound webhook = target.webhooks().get(LocalOperation.UPDATE);
        SourceClient.Answer answer = webhook != null
                ? routes.webhooks().get(webhook).send(what("update", change), change, "update",
                        ReverseMapping.withKey(target.entity(), body, externalId))
                : client(routes, change).call(what("update", change), rest(target).update(), externalId, body,
                        rest(target).idempotencyKeyHeader(), change.changeId(), ifMatch(change, target, check));
        requireUnchangedSinceRead(answer, change, externalId);
        if (answer.status() == 404) {
            throw new PermanentDeliveryException(what("update", change) + ": record " + externalId
                    + " does not exist at the source (404)");
        }
        long version = answer.body() == null ? 0 : version(target, answer.body());
        if (version > 0) {
            rows.storeVersion(target.table(), change.localId(), version, change.baseVersion(), ownPush);
            pushedVersions.put(RowKey.of(change), version);
        }
        return "delivered";
    }

    private String delete(LocalChange change, DeliveryTarget target, DeliveryRoutes routes) throws SQLException {
        String externalId = externalId(change, target);
        if (externalId == null) {
            return "skipped";
        }
        if (!sends(target, LocalOperation.DELETE)) {
            return "skipped";
        }
        Check check = checkConflict(change, target, routes, externalId);
        if (check.verdict() == Verdict.GONE) {
            return "conflict-dropped"; // deleted at the source too: done
        }
        if (check.verdict() == Verdict.DROP) {
            // the source changed the record and keeps it: the row comes back, for the poll to bring the source's
            // fields; left deleted, it could never follow the source again (decision 0033)
            if (rows.undoDelete(target.table(), change.localId(), check.sourceVersion())) {
                LOG.info("Row {} of {} ({}) is live again: its delete lost to the source's change", change.localId(),
                        change.entity(), externalId);
            }
            return "conflict-dropped";
        }
        Webhooks.Outbound webhook = target.webhooks().get(LocalOperation.DELETE);
        SourceClient.Answer answer = webhook != null
                ? routes.webhooks().get(webhook).send(what("delete", change), change, "delete",
                        ReverseMapping.withKey(target.entity(), ReverseMapping.empty(), externalId))
                : client(routes, change).call(what("delete", change), rest(target).delete(), externalId, null,
                        rest(target).idempotencyKeyHeader(), change.changeId(), ifMatch(change, target, check));
        requireUnchangedSinceRead(answer, change, externalId);
        return answer.status() == 404 ? "skipped" : "delivered"; // 404: already gone, as wanted
    }

    /**
     * The external id to address: the change's, else the one its CREATE's delivery stored on the row. None while the
     * row is deleted or gone: its create was skipped, nothing to do. None on a live row: the create was refused.
     */
    private @Nullable String externalId(LocalChange change, DeliveryTarget target) throws SQLException {
        if (change.externalId() != null) {
            return change.externalId();
        }
        Optional<LocalRows.Row> row = rows.find(target.table(), change.localId());
        if (row.isPresent() && row.get().externalId() != null) {
            return row.get().externalId();
        }
        if (row.isEmpty() || row.get().deleted() || !sends(target, LocalOperation.CREATE)) {
            return null; // deleted before its create was delivered, or a local record this source is not sent
        }
        throw new PermanentDeliveryException(what(change.op().name().toLowerCase(java.util.Locale.ROOT), change)
                + ": the row has no external id, its create was not delivered (see the dead-letter topic)");
    }

    /** What the conflict check decided: push, drop (the policy: the source's change wins), or the record is gone. */
    private enum Verdict { PUSH, DROP, GONE }

    /**
     * @param sourceVersion the source's current version of the record (0 unless read)
     * @param etag          the {@code ETag} of the record read (null unless read and sent)
     */
    private record Check(Verdict verdict, long sourceVersion, @Nullable String etag) {
    }

    /**
     * The {@code If-Match} of a write, when the delivery asks for one ({@code delivery.ifMatch}): the ETag of the record
     * the conflict check read, so that a change made at the source between that read and this write is refused
     * (412) rather than overwritten.
     */
    private static @Nullable String ifMatch(LocalChange change, DeliveryTarget target, Check check) {
        if (!rest(target).ifMatch() || target.source().sync().conflict() == io.tributary.definition.Sync.Conflict.LOCAL_WINS) {
            return null;
        }
        if (check.etag() == null) {
            throw new PermanentDeliveryException(what(change.op().name().toLowerCase(java.util.Locale.ROOT), change)
                    + ": delivery.ifMatch is set, but the source answered the read of the record without an ETag");
        }
        return check.etag();
    }

    /** A 412: the record changed at the source since the conflict check read it; the change is evaluated again. */
    private static void requireUnchangedSinceRead(SourceClient.Answer answer, LocalChange change, String externalId) {
        if (answer.status() == 412) {
            throw new TransientDeliveryException(what(change.op().name().toLowerCase(java.util.Locale.ROOT), change)
                    + ": record " + externalId + " changed at the source since it was read (412 to If-Match);"
                    + " the change is evaluated again against it");
        }
    }

    /** Reads the source's current record and applies the source's conflict policy (decision 0025). */
    private Check checkConflict(LocalChange change, DeliveryTarget target, DeliveryRoutes routes, String externalId) {
        var policy = target.source().sync().conflict();
        if (policy == io.tributary.definition.Sync.Conflict.LOCAL_WINS) {
            return new Check(Verdict.PUSH, 0, null);
        }
        String itemPath = java.util.Objects.requireNonNull(target.entity().endpoint()).itemPath();
        Optional<SourceClient.Current> current = client(routes, change).get(what("read before " + change.op(), change),
                java.util.Objects.requireNonNull(itemPath), externalId);
        if (current.isEmpty()) {
            return new Check(Verdict.GONE, 0, null); // deleted at the source: an update has nothing to change, a delete is done
        }
        long sourceVersion;
        try {
            sourceVersion = target.entity().mapping().version().read(current.get().body());
        } catch (MappingFailedException e) {
            throw new PermanentDeliveryException(what("read before " + change.op(), change) + ": " + e.getMessage());
        }
        long ownPush = pushedVersions.getOrDefault(RowKey.of(change), -1L);
        if (!ConflictPolicy.isConflict(change.baseVersion(), sourceVersion, ownPush)) {
            return new Check(Verdict.PUSH, sourceVersion, current.get().etag());
        }
        ConflictPolicy.Resolution resolution = ConflictPolicy.resolve(policy, change.changedAt(), sourceVersion,
                target.timeVersions());
        LOG.info("Conflict on row {} of {} ({}): base version {}, source version {}, changed at {}: {} ({})",
                change.localId(), change.entity(), externalId, change.baseVersion(), sourceVersion,
                change.changedAt(), resolution == ConflictPolicy.Resolution.PUSH ? "pushed" : "dropped", policy);
        return new Check(resolution == ConflictPolicy.Resolution.DROP ? Verdict.DROP : Verdict.PUSH, sourceVersion,
                current.get().etag());
    }

    /** The change's fields, references turned into the referenced rows' external ids. */
    private Map<String, @Nullable Object> fields(LocalChange change, DeliveryTarget target) throws SQLException {
        Map<String, @Nullable Object> fields = new LinkedHashMap<>(change.fields());
        for (Map.Entry<String, String> reference : target.references().entrySet()) {
            Object local = fields.get(reference.getKey());
            if (local == null) {
                continue;
            }
            String external = rows.externalIdOf(reference.getValue(), Long.parseLong(local.toString()));
            if (external == null) {
                // the referenced row's create is on its own key and may not be delivered yet: retry until it is
                throw new TransientDeliveryException(what(change.op().name().toLowerCase(java.util.Locale.ROOT), change)
                        + ": the referenced " + reference.getValue() + " row " + local + " has no external id yet");
            }
            fields.put(reference.getKey(), external);
        }
        return fields;
    }

    /** Whether {@code op} reaches the source: its REST delivery sends every operation, webhooks those they list. */
    private static boolean sends(DeliveryTarget target, LocalOperation op) {
        return target.delivery() != null || target.webhooks().containsKey(op);
    }

    private static Delivery rest(DeliveryTarget target) {
        return java.util.Objects.requireNonNull(target.delivery(), "delivery");
    }

    private static String noIdConsequence(Webhooks.@Nullable Outbound webhook) {
        return webhook == null ? "" : " (the webhook receiver must answer the new record, its id where"
                + " webhooks.outbound[].response.id says: without it the record polled back would become a second row;"
                + " decision 0028)";
    }

    private static long version(DeliveryTarget target, JsonNode record) {
        try {
            return target.responseVersion().read(record);
        } catch (MappingFailedException absent) {
            return 0; // the source does not say: the next poll brings it
        }
    }

    private static SourceClient client(DeliveryRoutes routes, LocalChange change) {
        return java.util.Objects.requireNonNull(routes.clients().get(change.sourceId()), "client");
    }

    private static String what(String op, LocalChange change) {
        return op + " of row " + change.localId() + " of " + change.entity() + " (change " + change.changeId() + ")";
    }

    private void count(String source, String entity, String op, String outcome) {
        meters.counter("tributary.outbound.delivered", "source", source, "entity", entity, "op", op, "outcome", outcome)
                .increment();
    }
}

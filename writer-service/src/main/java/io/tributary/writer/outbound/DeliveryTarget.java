package io.tributary.writer.outbound;

import io.tributary.definition.Delivery;
import io.tributary.definition.EntitySource;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.Target;
import io.tributary.definition.Webhooks;
import io.tributary.mapping.declarative.SourcePath;
import io.tributary.mapping.declarative.VersionSpec;
import io.tributary.model.outbound.LocalOperation;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One delivered entity of one source: its definition, how each operation is sent (the entity's REST
 * {@code delivery}, or the outbound webhooks that list the operation: the definition rules allow one or the other),
 * its table, where a create's answer carries the id and version, and which columns are references (column → the
 * referenced entity's table).
 */
record DeliveryTarget(SourceDefinition source, EntitySource entity, @Nullable Delivery delivery,
        Map<LocalOperation, Webhooks.Outbound> webhooks, String table, SourcePath responseId,
        VersionSpec responseVersion, Map<String, String> references, List<String> columns) {

    /** A delivered entity: it has a REST delivery or at least one outbound webhook. */
    static boolean isDelivered(SourceDefinition source, EntitySource entity) {
        return entity.delivery() != null
                || source.webhooks().outbound().stream().anyMatch(webhook -> webhook.entity().equals(entity.name()));
    }

    static DeliveryTarget of(SourceDefinition source, EntitySource entity) {
        Target target = Objects.requireNonNull(entity.target(), "target");
        Map<LocalOperation, Webhooks.Outbound> webhooks = new EnumMap<>(LocalOperation.class);
        for (Webhooks.Outbound webhook : source.webhooks().outbound()) {
            if (webhook.entity().equals(entity.name())) {
                webhook.on().forEach(op -> webhooks.put(LocalOperation.valueOf(op.toUpperCase(Locale.ROOT)), webhook));
            }
        }
        Delivery delivery = entity.delivery();
        Delivery.Response response = delivery != null ? delivery.response()
                : webhooks.containsKey(LocalOperation.CREATE) ? webhooks.get(LocalOperation.CREATE).response()
                : new Delivery.Response(null, null);
        VersionSpec version = entity.mapping().version();
        SourcePath id = response.id() != null ? SourcePath.parse(response.id())
                : Objects.requireNonNull(entity.mapping().fields().get(entity.mapping().key()).source(), "key source");
        VersionSpec responseVersion = response.version() == null ? version
                : new VersionSpec(SourcePath.parse(response.version()), version.format(), version.zone());
        Map<String, String> references = new LinkedHashMap<>();
        for (Target.Column column : target.columns()) {
            if (column.references() != null) {
                source.entity(column.references()).map(EntitySource::target)
                        .ifPresent(referenced -> references.put(column.name(), referenced.table()));
            }
        }
        return new DeliveryTarget(source, entity, delivery, Map.copyOf(webhooks), target.table(), id, responseVersion,
                Map.copyOf(references), target.columns().stream().map(Target.Column::name).toList());
    }

    /** Versions that are times (a date format: epoch milliseconds), which last-writer-wins can compare. */
    boolean timeVersions() {
        return !entity.mapping().version().format().equals(VersionSpec.INTEGER);
    }
}

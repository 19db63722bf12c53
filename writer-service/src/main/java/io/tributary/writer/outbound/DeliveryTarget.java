package io.tributary.writer.outbound;

import io.tributary.definition.Delivery;
import io.tributary.definition.EntitySource;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.Target;
import io.tributary.mapping.declarative.SourcePath;
import io.tributary.mapping.declarative.VersionSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One delivered entity of one source: its definition, REST calls, table, where a create response carries the id
 * and version, and which columns are references (column → the referenced entity's table).
 */
record DeliveryTarget(SourceDefinition source, EntitySource entity, Delivery delivery, String table,
        SourcePath responseId, VersionSpec responseVersion, Map<String, String> references, List<String> columns) {

    static DeliveryTarget of(SourceDefinition source, EntitySource entity) {
        Delivery delivery = Objects.requireNonNull(entity.delivery(), "delivery");
        Target target = Objects.requireNonNull(entity.target(), "target");
        VersionSpec version = entity.mapping().version();
        SourcePath id = delivery.response().id() != null ? SourcePath.parse(delivery.response().id())
                : Objects.requireNonNull(entity.mapping().fields().get(entity.mapping().key()).source(), "key source");
        VersionSpec responseVersion = delivery.response().version() == null ? version
                : new VersionSpec(SourcePath.parse(delivery.response().version()), version.format(), version.zone());
        Map<String, String> references = new LinkedHashMap<>();
        for (Target.Column column : target.columns()) {
            if (column.references() != null) {
                source.entity(column.references()).map(EntitySource::target)
                        .ifPresent(referenced -> references.put(column.name(), referenced.table()));
            }
        }
        return new DeliveryTarget(source, entity, delivery, target.table(), id, responseVersion, Map.copyOf(references),
                target.columns().stream().map(Target.Column::name).toList());
    }

    /** Versions that are times (a date format: epoch milliseconds), which last-writer-wins can compare. */
    boolean timeVersions() {
        return !entity.mapping().version().format().equals(VersionSpec.INTEGER);
    }
}

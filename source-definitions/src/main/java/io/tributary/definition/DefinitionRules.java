package io.tributary.definition;

import io.tributary.mapping.declarative.FieldMapping;
import io.tributary.mapping.declarative.FieldType;
import io.tributary.mapping.declarative.SourcePath;
import io.tributary.mapping.declarative.VersionSpec;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The rules a JSON Schema cannot say well: those across fields (a two-way source needs an outbound
 * webhook; a target's columns are the mapping's fields, with compatible types; references name entities
 * of the same source) and those that need code (time zones, date formats, source paths).
 */
final class DefinitionRules {

    /** Columns the writer keeps for itself. */
    static final Set<String> RESERVED_COLUMNS = Set.of("id", "source_id", "external_id", "source_version", "deleted",
            "synced_at");
    private static final Map<Target.ColumnType, Set<FieldType>> COMPATIBLE = Map.of(
            Target.ColumnType.TEXT, Set.of(FieldType.STRING),
            Target.ColumnType.INTEGER, Set.of(FieldType.INTEGER),
            Target.ColumnType.NUMBER, Set.of(FieldType.NUMBER, FieldType.INTEGER),
            Target.ColumnType.BOOLEAN, Set.of(FieldType.BOOLEAN),
            Target.ColumnType.TIMESTAMP, Set.of(FieldType.TIMESTAMP, FieldType.STRING),
            Target.ColumnType.JSON, Set.of(FieldType.ARRAY, FieldType.OBJECT, FieldType.ANY),
            Target.ColumnType.REFERENCE, Set.of(FieldType.STRING));

    private final List<DefinitionProblem> problems = new ArrayList<>();

    private DefinitionRules() {
    }

    static List<DefinitionProblem> check(JsonNode tree, SourceDefinition definition) {
        DefinitionRules rules = new DefinitionRules();
        rules.source(tree, definition);
        return rules.problems;
    }

    private void source(JsonNode tree, SourceDefinition definition) {
        if (definition.kind() == SourceDefinition.Kind.CDC) {
            problem("$.kind", "kind 'cdc' is reserved for change-data-capture sources (issue 7) and not accepted yet");
        }
        if (definition.kind() == SourceDefinition.Kind.REST && definition.baseUrl() == null) {
            problem("$", "required property 'baseUrl' not found (a rest source is reached through it)");
        }
        zone(definition.schedule().zone(), "$.schedule.zone");
        if (definition.retry().maxBackoff().compareTo(definition.retry().initialBackoff()) < 0) {
            problem("$.retry.maxBackoff", "is shorter than initialBackoff (" + definition.retry().initialBackoff() + ")");
        }
        Set<String> names = new java.util.TreeSet<>();
        for (EntitySource entity : definition.entities()) {
            names.add(entity.name());
        }
        Set<String> seen = new HashSet<>();
        Set<String> tables = new HashSet<>();
        for (int i = 0; i < definition.entities().size(); i++) {
            EntitySource entity = definition.entities().get(i);
            String path = "$.entities[" + i + "]";
            if (!seen.add(entity.name())) {
                problem(path + ".name", "entity '" + entity.name() + "' is defined twice");
            }
            if (definition.kind() == SourceDefinition.Kind.REST && entity.endpoint() == null) {
                problem(path, "required property 'endpoint' not found (a rest source lists each entity from one)");
            }
            entity(tree.get("entities").get(i), entity, path, names, tables);
        }
        Webhooks webhooks = definition.webhooks();
        boolean delivered = definition.entities().stream().anyMatch(entity -> entity.delivery() != null);
        if (definition.sync().mode() == Sync.Mode.TWO_WAY && webhooks.outbound().isEmpty() && !delivered) {
            problem("$.sync.mode", "a two-way source needs at least one outbound webhook ($.webhooks.outbound) "
                    + "or an entity's REST delivery ($.entities[*].delivery) to send our changes to the source");
        }
        for (int i = 0; i < definition.entities().size(); i++) {
            EntitySource entity = definition.entities().get(i);
            if (entity.delivery() != null) {
                delivery(definition, entity, "$.entities[" + i + "]");
            }
        }
        Map<String, Set<String>> webhookOps = new HashMap<>();
        for (int j = 0; j < webhooks.outbound().size(); j++) {
            Webhooks.Outbound webhook = webhooks.outbound().get(j);
            String path = "$.webhooks.outbound[" + j + "]";
            var entity = definition.entity(webhook.entity());
            if (entity.isEmpty()) {
                problem(path + ".entity", "'" + webhook.entity() + "' is not an entity of this source " + names);
                continue;
            }
            int index = definition.entities().indexOf(entity.get());
            if (entity.get().delivery() != null) {
                problem(path + ".entity", "'" + webhook.entity() + "' is delivered over REST ($.entities[" + index
                        + "].delivery): an entity's changes are delivered one way, by REST or by webhooks");
            }
            for (String op : webhook.on()) {
                if (!webhookOps.computeIfAbsent(webhook.entity(), name -> new HashSet<>()).add(op)) {
                    problem(path + ".on", "the " + op + "s of '" + webhook.entity()
                            + "' are already sent by another outbound webhook: each change is sent once");
                }
            }
            deliveredEntity(definition, entity.get(), "$.entities[" + index + "]", path);
            FieldMapping key = entity.get().mapping().fields().get(entity.get().mapping().key());
            if (key != null && key.source() != null
                    && !key.source().steps().stream().allMatch(step -> step instanceof String)) {
                problem("$.entities[" + index + "].mapping.fields." + entity.get().mapping().key() + ".source",
                        "'" + key.source().text() + "' cannot be reversed: a webhook's data carries the key where it says");
            }
            if (webhook.response().id() != null) {
                sourcePath(webhook.response().id(), path + ".response.id");
            }
            if (webhook.response().version() != null) {
                sourcePath(webhook.response().version(), path + ".response.version");
            }
        }
        if (webhooks.inbound() != null) {
            webhooks.inbound().events().forEach((prefix, entity) -> {
                if (!names.contains(entity)) {
                    problem("$.webhooks.inbound.events['" + prefix + "']", "'" + entity
                            + "' is not an entity of this source " + names);
                }
            });
        }
    }

    private void entity(JsonNode node, EntitySource entity, String path, Set<String> names, Set<String> tables) {
        EntitySource.RecordSelector records = entity.records();
        sourcePath(records.path(), path + ".records.path");
        if (records.hasMore() != null) {
            sourcePath(records.hasMore(), path + ".records.hasMore");
        }
        if (records.total() != null) {
            sourcePath(records.total(), path + ".records.total");
        }
        if (entity.pagination() instanceof Pagination.Cursor cursor && cursor.cursorPath() != null) {
            sourcePath(cursor.cursorPath(), path + ".pagination.cursorPath");
        }
        if (entity.incremental() != null) {
            try {
                new VersionSpec(SourcePath.parse("$"), entity.incremental().format(), ZoneId.of("UTC"));
            } catch (IllegalArgumentException e) {
                problem(path + ".incremental.format", "'" + entity.incremental().format() + "' is not 'integer', "
                        + "a named date format (iso-instant, epoch-millis, epoch-seconds, ...) nor a valid date pattern");
            }
        }
        if (entity.target() != null) {
            target(node.get("target"), entity, path + ".target", names, tables);
        }
    }

    private void target(JsonNode node, EntitySource entity, String path, Set<String> names, Set<String> tables) {
        Target target = entity.target();
        Map<String, FieldMapping> fields = entity.mapping().fields();
        String key = entity.mapping().key();
        if (!target.table().equals(entity.name())) {
            // The writer keys an entity's table, topic and two-way changes by one name (decision 0029).
            problem(path + ".table", "'" + target.table() + "' is not the entity's name '" + entity.name()
                    + "': the writer stores entity '" + entity.name() + "' (topic tributary.changes." + entity.name()
                    + ") in the table of that name; name the entity '" + target.table() + "' or the table '"
                    + entity.name() + "'");
        }
        if (!tables.add(target.table())) {
            problem(path + ".table", "table '" + target.table() + "' is the target of another entity too");
        }
        if (target.key() != null && !target.key().equals(key)) {
            problem(path + ".key", "'" + target.key() + "' is not the mapping's key '" + key + "'");
        }
        Map<String, Integer> columns = new HashMap<>();
        for (int j = 0; j < target.columns().size(); j++) {
            Target.Column column = target.columns().get(j);
            String columnPath = path + ".columns[" + j + "]";
            if (columns.putIfAbsent(column.name(), j) != null) {
                problem(columnPath + ".name", "column '" + column.name() + "' is defined twice");
                continue;
            }
            if (RESERVED_COLUMNS.contains(column.name())) {
                problem(columnPath + ".name", "'" + column.name() + "' is one of the writer's own columns " + RESERVED_COLUMNS);
                continue;
            }
            FieldMapping field = fields.get(column.name());
            if (field == null || column.name().equals(key)) {
                problem(columnPath + ".name", "'" + column.name() + "' is not a mapped field (the key '" + key
                        + "' is stored as the row's external id, not as a column)");
                continue;
            }
            if (!COMPATIBLE.get(column.type()).contains(field.type())) {
                problem(columnPath + ".type", "the column's type " + column.type().name().toLowerCase(java.util.Locale.ROOT)
                        + " cannot hold the mapped field's type " + field.type().jsonName());
            }
            if (column.references() != null && !names.contains(column.references())) {
                problem(columnPath + ".references", "'" + column.references() + "' is not an entity of this source " + names);
            }
            if (column.required() && !field.required() && field.defaultValue() == null) {
                problem(columnPath + ".required", "the column is required but the mapped field '" + column.name()
                        + "' is optional with no default");
            }
        }
        for (String field : fields.keySet()) {
            if (!field.equals(key) && !columns.containsKey(field)) {
                problem(path.replace(".target", ".mapping") + ".fields." + field, "has no column in the target "
                        + "(add it to " + path + ".columns, or drop the field)");
            }
        }
    }

    /** A delivery needs a two-way source, a target, a mapping that can be reversed and, to detect conflicts, a record's path. */
    private void delivery(SourceDefinition definition, EntitySource entity, String path) {
        Delivery delivery = entity.delivery();
        deliveredEntity(definition, entity, path, path + ".delivery");
        if (delivery.response().id() != null) {
            sourcePath(delivery.response().id(), path + ".delivery.response.id");
        }
        if (delivery.response().version() != null) {
            sourcePath(delivery.response().version(), path + ".delivery.response.version");
        }
        if (delivery.ifMatch() && definition.sync().conflict() == Sync.Conflict.LOCAL_WINS) {
            problem(path + ".delivery.ifMatch", "sends the ETag of the record read before an update or delete, and"
                    + " conflict policy 'local-wins' reads nothing (use last-writer-wins or source-wins, or drop ifMatch)");
        }
    }

    /**
     * What any delivery (REST or webhook, declared at {@code where}) needs of the entity at {@code path}: a two-way
     * source, a target, the source's record for the conflict policy, and field paths that can be reversed.
     */
    private void deliveredEntity(SourceDefinition definition, EntitySource entity, String path, String where) {
        if (definition.sync().mode() != Sync.Mode.TWO_WAY) {
            problem(where, "only a two-way source delivers changes ($.sync.mode is one-way)");
        }
        if (entity.target() == null) {
            problem(where, "an entity without a target has no local changes to deliver");
        }
        if (definition.sync().conflict() != Sync.Conflict.LOCAL_WINS
                && (entity.endpoint() == null || entity.endpoint().itemPath() == null)) {
            problem(where, "conflict policy '" + definition.sync().conflict().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', '-') + "' reads the source's current record before an update or delete: "
                    + path + ".endpoint.itemPath is required (or use conflict: local-wins)");
        }
        entity.mapping().fields().forEach((name, field) -> {
            if (name.equals(entity.mapping().key()) || field.source() == null) {
                return;
            }
            if (field.source().steps().isEmpty()
                    || !field.source().steps().stream().allMatch(step -> step instanceof String)) {
                problem(path + ".mapping.fields." + name + ".source", "'" + field.source().text()
                        + "' cannot be reversed for delivery: only names (a.b.c) can say where the value goes");
            }
        });
    }

    private void sourcePath(String text, String path) {
        try {
            SourcePath.parse(text);
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage());
        }
    }

    private void zone(String zone, String path) {
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            problem(path, "'" + zone + "' is not a time zone (e.g. UTC, Europe/Paris)");
        }
    }

    private void problem(String path, String message) {
        problems.add(new DefinitionProblem(path, message));
    }
}

package io.tributary.writer.live;

import io.tributary.definition.EntitySource;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.Sync;
import io.tributary.definition.Target;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import io.tributary.writer.entity.FieldType;
import io.tributary.writer.sources.SourceActivity.Refused;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The writer's entities that a source definition's targets describe (decision 0029): for each entity with a
 * {@code target}, an {@link EntityDefinition} of the entity's name (the definition rules make the table that name),
 * one field per column with its type ({@code text}, {@code timestamp}, {@code integer}, {@code number},
 * {@code boolean}, {@code json}, {@code reference} to an entity of the same source) and its {@code required};
 * in apply order, parents before the entities that reference them. An entity the writer cannot take (a name that
 * is an SQL keyword, references in a cycle, a reference to an entity refused) is refused on its own.
 */
final class TargetEntities {

    /**
     * @param entities  what the writer takes, parents first
     * @param refused   what it does not, with the reason
     * @param delivered the entities whose local changes the definition sends back (two-way, with a REST delivery
     *                  or an outbound webhook): their tables are made ready for capture
     */
    record Translation(List<EntityDefinition> entities, List<Refused> refused, Set<String> delivered) {
    }

    private TargetEntities() {
    }

    static Translation of(SourceDefinition definition) {
        List<Refused> refused = new ArrayList<>();
        Map<String, EntityDefinition> declared = new LinkedHashMap<>();
        for (EntitySource entity : definition.entities()) {
            if (entity.target() == null) {
                continue;
            }
            try {
                declared.put(entity.name(), entity(entity.name(), entity.target()));
            } catch (IllegalArgumentException e) {
                refused.add(new Refused(entity.name(), e.getMessage()));
            }
        }
        List<EntityDefinition> ordered = parentsFirst(declared, refused);
        Set<String> delivered = new TreeSet<>();
        if (definition.sync().mode() == Sync.Mode.TWO_WAY) {
            for (EntitySource entity : definition.entities()) {
                boolean sent = entity.delivery() != null || definition.webhooks().outbound().stream()
                        .anyMatch(webhook -> webhook.entity().equals(entity.name()));
                if (sent && declared.containsKey(entity.name())) {
                    delivered.add(entity.name());
                }
            }
        }
        return new Translation(ordered, List.copyOf(refused), delivered);
    }

    private static EntityDefinition entity(String name, Target target) {
        List<FieldDefinition> fields = new ArrayList<>();
        for (Target.Column column : target.columns()) {
            fields.add(new FieldDefinition(column.name(), type(column.type()), column.required(), column.references()));
        }
        return new EntityDefinition(name, fields);
    }

    static FieldType type(Target.ColumnType type) {
        return switch (type) {
            case TEXT -> FieldType.TEXT;
            case INTEGER -> FieldType.INTEGER;
            case NUMBER -> FieldType.NUMBER;
            case BOOLEAN -> FieldType.BOOLEAN;
            case TIMESTAMP -> FieldType.TIMESTAMP;
            case JSON -> FieldType.JSON;
            case REFERENCE -> FieldType.REFERENCE;
        };
    }

    /**
     * Declaration order, except that an entity waits for the entities of this definition it references. One that
     * references a refused entity is refused; entities left when nothing more can be placed reference each other in
     * a cycle, which no apply order can write parents first.
     */
    private static List<EntityDefinition> parentsFirst(Map<String, EntityDefinition> declared, List<Refused> refused) {
        Set<String> refusedNames = new TreeSet<>();
        refused.forEach(refusal -> refusedNames.add(refusal.entity()));
        List<EntityDefinition> remaining = new ArrayList<>(declared.values());
        List<EntityDefinition> ordered = new ArrayList<>();
        Set<String> placed = new TreeSet<>();
        boolean progress = true;
        while (!remaining.isEmpty() && progress) {
            progress = false;
            for (EntityDefinition entity : List.copyOf(remaining)) {
                String missing = entity.references().stream().map(FieldDefinition::references)
                        .filter(target -> !target.equals(entity.name()) && refusedNames.contains(target))
                        .findFirst().orElse(null);
                if (missing != null) {
                    refused.add(new Refused(entity.name(), "references '" + missing + "', which is refused"));
                    refusedNames.add(entity.name());
                    remaining.remove(entity);
                    progress = true;
                } else if (entity.references().stream().map(FieldDefinition::references)
                        .allMatch(target -> target.equals(entity.name()) || placed.contains(target)
                                || !declared.containsKey(target))) {
                    ordered.add(entity);
                    placed.add(entity.name());
                    remaining.remove(entity);
                    progress = true;
                }
            }
        }
        for (EntityDefinition entity : remaining) {
            refused.add(new Refused(entity.name(), "its references form a cycle with "
                    + remaining.stream().map(EntityDefinition::name).filter(name -> !name.equals(entity.name())).toList()
                    + " (only a reference to its own entity can wait for a placeholder)"));
        }
        return ordered;
    }
}

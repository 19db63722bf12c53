package io.tributary.writer.live;

import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import io.tributary.writer.sources.SourceActivity.Refused;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a definition's entities join the running catalog (decision 0029). The running catalog is never made smaller
 * nor changed in type: a catalog only grows while the writer runs.
 * <ul>
 *   <li>A new entity joins as the definition declares it (after the entities it references).</li>
 *   <li>An entity already in the catalog (another definition's, an earlier version of this one, or
 *       {@code tributary.writer.entities}) is merged additively: its columns stay, in their order, and the
 *       definition's other columns are added. A column both have must have the same type (and a reference the same
 *       referenced entity); it stays required only if both require it. An added column is optional, since the
 *       records of the entity's other sources do not carry it.</li>
 *   <li>A built-in entity (the forum's four, whose tables are Flyway's) is accepted when the definition's columns are
 *       among its own with the same types and the definition requires every column it requires; nothing is added.</li>
 *   <li>Anything else refuses that entity of the definition, naming the column and both types; the running entity
 *       goes on as it was, and the definition's other entities are merged still (those that reference a refused new
 *       entity are refused too).</li>
 * </ul>
 */
final class CatalogMerge {

    /**
     * @param catalog the catalog with the definition's accepted entities
     * @param changed the entities whose definition is new or different: their tables are to be created or evolved,
     *                in this order (parents first)
     * @param refused the definition's entities not taken
     */
    record Result(EntityCatalog catalog, List<EntityDefinition> changed, List<Refused> refused) {
    }

    private CatalogMerge() {
    }

    /** @param proposed the definition's entities, parents first ({@link TargetEntities}) */
    static Result merge(EntityCatalog running, Set<String> builtIns, List<EntityDefinition> proposed) {
        Map<String, EntityDefinition> working = new LinkedHashMap<>();
        running.definitions().forEach(entity -> working.put(entity.name(), entity));
        List<EntityDefinition> changed = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (EntityDefinition entity : proposed) {
            EntityDefinition current = working.get(entity.name());
            @Nullable String problem;
            @Nullable EntityDefinition merged = null;
            if (builtIns.contains(entity.name())) {
                problem = builtInProblem(Objects.requireNonNull(current), entity);
            } else {
                problem = unknownReference(working, entity);
                if (problem == null) {
                    Merged result = current == null ? new Merged(entity, null) : merged(current, entity);
                    problem = result.problem();
                    merged = result.entity();
                }
            }
            if (problem != null) {
                refused.add(new Refused(entity.name(), problem));
                continue;
            }
            if (merged == null || merged.equals(current)) {
                continue; // compatible, nothing new
            }
            Map<String, EntityDefinition> candidate = new LinkedHashMap<>(working);
            candidate.put(entity.name(), merged);
            if (parentsFirst(candidate).isEmpty()) {
                refused.add(new Refused(entity.name(), "its references would form a cycle with the catalog's entities"));
                continue;
            }
            working.put(entity.name(), merged);
            changed.removeIf(previous -> previous.name().equals(entity.name()));
            changed.add(merged);
        }
        List<EntityDefinition> ordered = parentsFirst(working).orElseThrow();
        List<EntityDefinition> changedInOrder = ordered.stream().filter(changed::contains).toList();
        return new Result(new EntityCatalog(ordered), changedInOrder, List.copyOf(refused));
    }

    private record Merged(EntityDefinition entity, @Nullable String problem) {
    }

    /** {@code current} with {@code next}'s columns added; a column of both must agree. */
    private static Merged merged(EntityDefinition current, EntityDefinition next) {
        Map<String, FieldDefinition> proposed = new LinkedHashMap<>();
        next.fields().forEach(field -> proposed.put(field.name(), field));
        List<FieldDefinition> fields = new ArrayList<>();
        for (FieldDefinition field : current.fields()) {
            FieldDefinition other = proposed.remove(field.name());
            if (other != null && !sameType(field, other)) {
                return new Merged(current, conflict(field, other, "the writer's catalog"));
            }
            fields.add(new FieldDefinition(field.name(), field.type(),
                    field.required() && other != null && other.required(), field.references()));
        }
        proposed.values().forEach(field -> fields.add(new FieldDefinition(field.name(), field.type(), false,
                field.references())));
        return new Merged(new EntityDefinition(current.name(), fields), null);
    }

    private static @Nullable String builtInProblem(EntityDefinition builtIn, EntityDefinition next) {
        for (FieldDefinition field : next.fields()) {
            Optional<FieldDefinition> own = builtIn.fields().stream()
                    .filter(candidate -> candidate.name().equals(field.name())).findFirst();
            if (own.isEmpty()) {
                return "column '" + field.name() + "' is not a column of the built-in entity (its columns "
                        + builtIn.fields().stream().map(FieldDefinition::name).toList() + "; its table is the writer's"
                        + " Flyway schema, which a definition does not change)";
            }
            if (!sameType(own.get(), field)) {
                return conflict(own.get(), field, "the built-in entity");
            }
        }
        for (FieldDefinition own : builtIn.fields()) {
            boolean requiredHere = next.fields().stream()
                    .anyMatch(field -> field.name().equals(own.name()) && field.required());
            if (own.required() && !requiredHere) {
                return "column '" + own.name() + "' is required by the built-in entity but "
                        + (next.fields().stream().anyMatch(field -> field.name().equals(own.name()))
                        ? "optional" : "absent") + " in this definition (its records without it would be dead-lettered)";
            }
        }
        return null;
    }

    private static @Nullable String unknownReference(Map<String, EntityDefinition> working, EntityDefinition entity) {
        for (FieldDefinition reference : entity.references()) {
            if (!reference.references().equals(entity.name()) && !working.containsKey(reference.references())) {
                return "column '" + reference.name() + "' references '" + reference.references()
                        + "', which is not in the writer's catalog";
            }
        }
        return null;
    }

    private static boolean sameType(FieldDefinition a, FieldDefinition b) {
        return a.type() == b.type() && Objects.equals(a.references(), b.references());
    }

    private static String conflict(FieldDefinition running, FieldDefinition proposed, String where) {
        return "column '" + running.name() + "' is " + typeName(running) + " in " + where + " but "
                + typeName(proposed) + " in this definition (a column's type never changes: the running entity goes on)";
    }

    private static String typeName(FieldDefinition field) {
        String type = field.type().name().toLowerCase(Locale.ROOT);
        return field.isReference() ? type + " to " + field.references() : type;
    }

    /**
     * The entities in an order where each comes after those it references, keeping the given order wherever it
     * already is one; empty when references form a cycle.
     */
    private static Optional<List<EntityDefinition>> parentsFirst(Map<String, EntityDefinition> entities) {
        List<EntityDefinition> remaining = new ArrayList<>(entities.values());
        List<EntityDefinition> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (!remaining.isEmpty()) {
            EntityDefinition next = remaining.stream().filter(entity -> entity.references().stream()
                            .map(FieldDefinition::references)
                            .allMatch(target -> target.equals(entity.name()) || placed.contains(target)))
                    .findFirst().orElse(null);
            if (next == null) {
                return Optional.empty();
            }
            ordered.add(next);
            placed.add(next.name());
            remaining.remove(next);
        }
        return Optional.of(ordered);
    }
}

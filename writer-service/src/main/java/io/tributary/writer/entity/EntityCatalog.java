package io.tributary.writer.entity;

import static io.tributary.writer.entity.FieldDefinition.optionalReference;
import static io.tributary.writer.entity.FieldDefinition.reference;
import static io.tributary.writer.entity.FieldDefinition.text;
import static io.tributary.writer.entity.FieldDefinition.timestamp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entities the writer knows, in apply order (immutable: a writer that learns entities while it runs replaces
 * the whole catalog, {@link CurrentCatalog}): an entity comes after every other entity it
 * references (parents first), so a batch writes users, then sections, topics and messages.
 * A self-reference (a message's parent) is allowed and resolved through a placeholder.
 *
 * <p>{@link #forum()} is the Good Forum's contract as data; {@link #with} adds configured entities.
 */
public final class EntityCatalog {

    private final Map<String, EntityDefinition> byName = new LinkedHashMap<>();

    public EntityCatalog(List<EntityDefinition> definitions) {
        if (definitions.isEmpty()) {
            throw new IllegalArgumentException("An entity catalog needs at least one entity");
        }
        for (EntityDefinition definition : definitions) {
            for (FieldDefinition ref : definition.references()) {
                if (!ref.references().equals(definition.name()) && !byName.containsKey(ref.references())) {
                    throw new IllegalArgumentException("Entity '" + definition.name() + "': field '" + ref.name()
                            + "' references '" + ref.references() + "', which must be defined before it");
                }
            }
            if (byName.putIfAbsent(definition.name(), definition) != null) {
                throw new IllegalArgumentException("Entity '" + definition.name() + "' is defined twice");
            }
        }
    }

    /** The external forum API's collections (see contracts/external-forum-api.md). */
    public static EntityCatalog forum() {
        return new EntityCatalog(List.of(
                new EntityDefinition("users", List.of(
                        text("name"), text("email"), timestamp("created_at"), timestamp("updated_at"))),
                new EntityDefinition("sections", List.of(
                        text("title"), timestamp("created_at"), timestamp("updated_at"))),
                new EntityDefinition("topics", List.of(
                        reference("section_id", "sections"), reference("user_id", "users"), text("title"),
                        timestamp("created_at"), timestamp("updated_at"))),
                new EntityDefinition("messages", List.of(
                        reference("topic_id", "topics"), reference("user_id", "users"),
                        optionalReference("parent_id", "messages"), text("body"),
                        timestamp("created_at"), timestamp("updated_at")))));
    }

    /**
     * This catalog followed by {@code more} (configured entities), which may reference this catalog's
     * entities and each other in order; a name already here is refused.
     */
    public EntityCatalog with(List<EntityDefinition> more) {
        for (EntityDefinition definition : more) {
            if (byName.containsKey(definition.name())) {
                throw new IllegalArgumentException("Entity '" + definition.name() + "' is already defined (built in:"
                        + " " + byName.keySet() + "); choose another name");
            }
        }
        List<EntityDefinition> all = new java.util.ArrayList<>(byName.values());
        all.addAll(more);
        return new EntityCatalog(all);
    }

    /** The definitions in apply order (parents first). */
    public List<EntityDefinition> definitions() {
        return List.copyOf(byName.values());
    }

    /** The entity names in apply order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public Optional<EntityDefinition> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public EntityDefinition get(String name) {
        EntityDefinition definition = byName.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("Unknown entity '" + name + "', known: " + byName.keySet());
        }
        return definition;
    }

    /** Position in apply order. */
    public int order(EntityDefinition definition) {
        int index = 0;
        for (String name : byName.keySet()) {
            if (name.equals(definition.name())) {
                return index;
            }
            index++;
        }
        throw new IllegalArgumentException("Entity '" + definition.name() + "' is not in this catalog");
    }
}

package io.tributary.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Who holds each global name (decision 0031): a source id (it keys change events, main-database rows, checkpoints and
 * {@code /webhooks/{id}}) and an entity name (its table in the main database, its topic, the rows in it). A name is
 * held by the organization that stored it first, for good: after its source is deleted, and after the organization
 * itself is deleted, since its rows stay under it. Built from the organizations' records and the stored sources at
 * start-up, kept by {@link ConfigStore} under its lock.
 */
final class Claims {

    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);

    /** A name another organization holds, and where the definition names it. */
    record Taken(Kind kind, String name, String path) {
    }

    enum Kind {
        SOURCE_ID("source id"), ENTITY("entity");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Map<String, String> sourceIds = new ConcurrentHashMap<>();
    private final Map<String, String> entities = new ConcurrentHashMap<>();

    /**
     * Records that {@code organization} holds {@code name} unless another does. Two organizations holding one name can
     * only come from data written before claims existed or by other means: reported, the first one read keeps it.
     */
    void load(Kind kind, String name, String organization) {
        String holder = names(kind).putIfAbsent(name, organization);
        if (holder != null && !holder.equals(organization)) {
            LOG.warn("The {} '{}' is claimed by organizations {} and {}: {} keeps it, {} cannot store a definition that "
                    + "names it", kind.label, name, holder, organization, holder, organization);
        }
    }

    void claim(Kind kind, String name, String organization) {
        names(kind).putIfAbsent(name, organization);
    }

    /**
     * Every name of {@code definition} another organization holds: its id, then its entities in order. Validate
     * reports them all; PUT answers 409 with the first.
     */
    List<Taken> taken(String organization, JsonNode definition) {
        List<Taken> taken = new ArrayList<>();
        JsonNode id = definition.path("id");
        if (id.isString() && heldByAnother(Kind.SOURCE_ID, id.asString(), organization)) {
            taken.add(new Taken(Kind.SOURCE_ID, id.asString(), "$.id"));
        }
        List<String> names = entityNames(definition);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!name.isEmpty() && heldByAnother(Kind.ENTITY, name, organization)) {
                taken.add(new Taken(Kind.ENTITY, name, "$.entities[" + i + "].name"));
            }
        }
        return taken;
    }

    private boolean heldByAnother(Kind kind, String name, String organization) {
        String holder = names(kind).get(name);
        return holder != null && !holder.equals(organization);
    }

    /** {@code entities[i].name} of a definition, "" where it is not a string (the index is its JSON path's). */
    static List<String> entityNames(JsonNode definition) {
        List<String> names = new ArrayList<>();
        definition.path("entities").forEach(entity -> names.add(entity.path("name").isString()
                ? entity.path("name").asString() : ""));
        return names;
    }

    private Map<String, String> names(Kind kind) {
        return kind == Kind.SOURCE_ID ? sourceIds : entities;
    }
}

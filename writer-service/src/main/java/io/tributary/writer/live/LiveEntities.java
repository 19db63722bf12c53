package io.tributary.writer.live;

import io.tributary.definition.SourceDefinition;
import io.tributary.writer.dialect.Dialect;
import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.schema.EntityTables;
import io.tributary.writer.sources.SourceActivity.Refused;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entity side of following the definitions (decision 0029): a definition's targets are merged into the running
 * catalog ({@link CatalogMerge}), the tables of what is new or changed are created or evolved ({@link EntityTables},
 * additive only; two-way tables made ready for capture), and only then is the catalog replaced — before the writer
 * subscribes to a new entity's topic, so no event arrives for a table that does not exist yet. An entity whose table
 * cannot take the change (a column of another type in the main database) is refused like a merge conflict, and
 * what references it with it. Runs on the config-topic follower's thread only.
 */
final class LiveEntities {

    private static final Logger LOG = LoggerFactory.getLogger(LiveEntities.class);

    private final CurrentCatalog catalog;
    private final Set<String> builtIns;
    private final EntityTables tables;
    private final Dialect dialect;
    /** Tables made two-way so far (their triggers follow added columns): never made one-way again. */
    private final Set<String> twoWay;

    /** A database failure worth trying again later: the follower reads the topic again after its retry pause. */
    static final class RetryLaterException extends RuntimeException {
        RetryLaterException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    LiveEntities(CurrentCatalog catalog, Set<String> builtIns, EntityTables tables, Dialect dialect,
            Set<String> configuredTwoWay) {
        this.catalog = catalog;
        this.builtIns = Set.copyOf(builtIns);
        this.tables = tables;
        this.dialect = dialect;
        this.twoWay = new TreeSet<>(configuredTwoWay);
    }

    /**
     * What a definition's targets did to the catalog.
     *
     * @param twoWayReady the definition's delivered entities whose tables are two-way now (ready for capture)
     * @param refused     its entities not taken (or not made two-way), each with the reason, as logged
     */
    record Taken(Set<String> twoWayReady, List<Refused> refused) {
    }

    /**
     * Takes {@code definition}'s targets into the catalog (logging every entity refused, with the reason).
     *
     * @throws RetryLaterException on a transient database failure: nothing was replaced
     */
    Taken apply(String key, SourceDefinition definition) {
        List<Refused> refusals = new ArrayList<>();
        TargetEntities.Translation translation = TargetEntities.of(definition);
        translation.refused().forEach(refusal -> refused(key, definition, refusal, refusals));
        Set<String> wantTwoWay = new TreeSet<>(translation.delivered());
        for (String builtIn : builtIns) {
            if (wantTwoWay.remove(builtIn)) {
                refused(key, definition, new Refused(builtIn, "a built-in entity is not made two-way (its table is"
                        + " the writer's Flyway schema); its records are still applied, its local changes not sent"),
                        refusals);
            }
        }
        Set<String> failed = new HashSet<>();
        Set<String> logged = new HashSet<>();
        while (true) {
            List<EntityDefinition> proposed = translation.entities().stream()
                    .filter(entity -> !failed.contains(entity.name())).toList();
            CatalogMerge.Result merged = CatalogMerge.merge(catalog.get(), builtIns, proposed);
            merged.refused().stream().filter(refusal -> logged.add(refusal.entity()))
                    .forEach(refusal -> refused(key, definition, refusal, refusals));
            merged.refused().forEach(refusal -> wantTwoWay.remove(refusal.entity())); // not this definition's table
            Set<String> failedNow = evolve(key, definition, merged, wantTwoWay, refusals);
            if (failedNow.isEmpty()) {
                replace(key, merged.catalog());
                Set<String> ready = new TreeSet<>(wantTwoWay);
                ready.retainAll(twoWay);
                return new Taken(ready, List.copyOf(refusals));
            }
            // merge again without them (what referenced them is refused with them); each name fails once at most
            failed.addAll(failedNow);
            logged.addAll(failedNow);
            wantTwoWay.removeAll(failedNow);
        }
    }

    /** Creates or evolves the tables; returns the entities whose table refused the change. */
    private Set<String> evolve(String key, SourceDefinition definition, CatalogMerge.Result merged,
            Set<String> wantTwoWay, List<Refused> refusals) {
        Set<String> failed = new HashSet<>();
        for (EntityDefinition entity : merged.catalog().definitions()) {
            boolean becomesTwoWay = wantTwoWay.contains(entity.name()) && !twoWay.contains(entity.name());
            if (!merged.changed().contains(entity) && !becomesTwoWay) {
                continue;
            }
            boolean asTwoWay = twoWay.contains(entity.name()) || becomesTwoWay;
            try {
                evolve(entity, asTwoWay);
                if (asTwoWay) {
                    twoWay.add(entity.name());
                }
            } catch (IllegalStateException e) {
                if (becomesTwoWay && evolvesOneWay(key, definition, entity, e, refusals)) {
                    continue;
                }
                refused(key, definition, new Refused(entity.name(), e.getMessage()), refusals);
                failed.add(entity.name());
            } catch (SQLException e) {
                if (dialect.isTransient(e)) {
                    throw new RetryLaterException("Failed to create or evolve the table of '" + entity.name()
                            + "' for " + key + " (transient): " + e.getMessage(), e);
                }
                refused(key, definition, new Refused(entity.name(), "the main database refuses its table: "
                        + e.getMessage()), refusals);
                failed.add(entity.name());
            }
        }
        return failed;
    }

    /** A one-way table that cannot become two-way (SQLite) keeps being written one way; its changes are not sent. */
    private boolean evolvesOneWay(String key, SourceDefinition definition, EntityDefinition entity,
            IllegalStateException twoWayRefused, List<Refused> refusals) {
        try {
            evolve(entity, false);
        } catch (IllegalStateException | SQLException e) {
            return false;
        }
        refused(key, definition, new Refused(entity.name(), "stays one-way, its local changes are not delivered: "
                + twoWayRefused.getMessage()), refusals);
        return true;
    }

    private void evolve(EntityDefinition entity, boolean asTwoWay) throws SQLException {
        tables.evolveOne(entity, asTwoWay);
    }

    private void replace(String key, EntityCatalog next) {
        EntityCatalog running = catalog.get();
        if (next.definitions().equals(running.definitions())) {
            return;
        }
        catalog.replace(next);
        LOG.info("Writer entities after definition {}: {}", key, describe(running, next));
    }

    /** The entities and columns {@code next} adds to {@code running}, e.g. "+items(name, year) artists +(born)". */
    private static String describe(EntityCatalog running, EntityCatalog next) {
        StringBuilder text = new StringBuilder();
        for (EntityDefinition entity : next.definitions()) {
            var before = running.find(entity.name());
            List<String> added = entity.fields().stream().map(field -> field.name())
                    .filter(name -> before.isEmpty() || before.get().fields().stream()
                            .noneMatch(field -> field.name().equals(name))).toList();
            if (before.isEmpty()) {
                text.append(" +").append(entity.name()).append(added);
            } else if (!added.isEmpty()) {
                text.append(' ').append(entity.name()).append(" +").append(added);
            }
        }
        return next.names() + " (" + text.toString().strip() + ")";
    }

    private static void refused(String key, SourceDefinition definition, Refused refusal, List<Refused> refusals) {
        LOG.warn("Definition {} (source '{}'): {}; the rest of the catalog is unaffected", key, definition.id(),
                refusal);
        refusals.add(refusal);
    }
}

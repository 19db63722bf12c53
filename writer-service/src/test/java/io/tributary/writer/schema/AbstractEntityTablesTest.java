package io.tributary.writer.schema;

import static io.tributary.writer.TestEvents.delete;
import static io.tributary.writer.TestEvents.fields;
import static io.tributary.writer.TestEvents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.writer.WriterDbFixture;
import io.tributary.writer.entity.ConfiguredEntitiesProperties;
import io.tributary.writer.entity.ConfiguredEntitiesProperties.Entity;
import io.tributary.writer.entity.ConfiguredEntitiesProperties.Field;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.InvalidChangeEventException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Configured target entities on a real main database (issue 5: the second brief's music inventory with no
 * Java change): tables created, written through the same applier with the same guarantees, evolved by
 * adding columns only, conflicts refused by name. Run per dialect.
 */
abstract class AbstractEntityTablesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The music inventory of the second brief, plus a typed column of each kind. */
    static final List<Entity> MUSIC = List.of(
            new Entity("artists", List.of(new Field("name", "text", true, null))),
            new Entity("items", List.of(
                    new Field("name", "text", true, null),
                    new Field("artist_id", "reference", false, "artists"),
                    new Field("album", "text", false, null),
                    new Field("year", "integer", false, null),
                    new Field("rating", "number", false, null),
                    new Field("explicit", "boolean", false, null),
                    new Field("released_at", "timestamp", false, null))));

    private WriterDbFixture db;

    /** A fresh, migrated main database with this catalog; the same database on every call within a test. */
    protected abstract WriterDbFixture open(EntityCatalog catalog) throws Exception;

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    private WriterDbFixture reopen(List<Entity> entities) throws Exception {
        if (db != null) {
            db.close();
        }
        List<EntityDefinition> definitions = new ConfiguredEntitiesProperties(entities).definitions();
        db = open(EntityCatalog.forum().with(definitions));
        return db;
    }

    private EntityTables.Changes evolve(List<Entity> entities) throws Exception {
        return new EntityTables(db.database.dataSource(), db.database.dialect())
                .evolve(new ConfiguredEntitiesProperties(entities).definitions());
    }

    @Test
    void aConfiguredEntityGetsATableAndTheWritersGuarantees() throws Exception {
        reopen(MUSIC);
        assertThat(evolve(MUSIC).createdTables()).containsExactly("artists", "items");

        db.apply(
                // the item before its artist: a placeholder, filled in place later
                upsert("items", "i1", 100, fields("name", "Blue Train", "artist_id", "a1", "album", "Blue Train",
                        "year", 1957, "rating", 4.5, "explicit", false, "released_at", "1958-01-01T00:00:00Z")),
                upsert("artists", "a1", 90, fields("name", "John Coltrane")),
                upsert("items", "i1", 99, fields("name", "stale", "year", 1)),
                upsert("items", "i2", 100, fields("name", "Giant Steps")),
                delete("items", "i2", 101),
                upsert("items", "i2", 102, fields("name", "resurrected?")));

        Map<String, Object> item = db.row("items", "i1");
        assertThat(item).containsEntry("name", "Blue Train").containsEntry("album", "Blue Train")
                .containsEntry("year", 1957L).containsEntry("rating", 4.5).containsEntry("explicit", 0L)
                .containsEntry("source_version", 100L);
        assertThat(item.get("artist_id")).isEqualTo(db.id("artists", "a1"));
        assertThat(db.row("artists", "a1")).containsEntry("name", "John Coltrane").containsEntry("source_version", 90L);
        assertThat(db.row("items", "i2")).as("deletes are final").containsEntry("deleted", 1L)
                .doesNotContainEntry("name", "resurrected?");
        assertThat(db.danglingReferences()).isZero();
    }

    @Test
    void aJsonColumnHoldsTheValuesJsonTextAndTheDatabaseReadsItAsJson() throws Exception {
        List<Entity> posts = List.of(new Entity("posts", List.of(new Field("title", "text", true, null),
                new Field("tags", "json", false, null), new Field("sections", "json", false, null))));
        reopen(posts);
        evolve(posts);

        db.apply(upsert("posts", "p1", 100, fields("title", "Hello", "tags", List.of("jazz", "1950s"),
                        "sections", List.of(fields("heading", "Intro", "words", 120), fields("heading", "Body",
                                "words", 800)))),
                upsert("posts", "p2", 100, fields("title", "Untagged", "tags", null, "sections", List.of())),
                upsert("posts", "p3", 100, fields("title", "Odd", "tags", "just a string")));

        assertThat(JSON.readTree(text("posts", "p1", "tags"))).isEqualTo(JSON.readTree("[\"jazz\",\"1950s\"]"));
        assertThat(JSON.readTree(text("posts", "p1", "sections"))).isEqualTo(JSON.readTree(
                "[{\"heading\":\"Intro\",\"words\":120},{\"heading\":\"Body\",\"words\":800}]"));
        assertThat(text("posts", "p2", "tags")).isNull();
        assertThat(JSON.readTree(text("posts", "p2", "sections"))).isEqualTo(JSON.readTree("[]"));
        assertThat(JSON.readTree(text("posts", "p3", "tags")).asString()).as("a scalar is JSON too")
                .isEqualTo("just a string");
        assertThat(db.query("SELECT COUNT(*) AS n FROM posts WHERE " + jsonArrayLength("sections") + " = 2")
                .get(0).get("n")).as("the database reads the column as JSON").isEqualTo(1L);
    }

    /** This dialect's length of the JSON array in {@code column}. */
    protected abstract String jsonArrayLength(String column);

    private String text(String table, String externalId, String column) throws Exception {
        List<Map<String, Object>> rows = db.query("SELECT CAST(" + column + " AS TEXT) AS v FROM " + table
                + " WHERE external_id = '" + externalId + "'");
        return (String) rows.get(0).get("v");
    }

    @Test
    void aTypedFieldRefusesAValueOfAnotherTypeNamingIt() throws Exception {
        reopen(MUSIC);
        evolve(MUSIC);

        assertThatThrownBy(() -> db.apply(upsert("items", "i1", 100, fields("name", "x", "year", "1957"))))
                .isInstanceOf(InvalidChangeEventException.class)
                .hasMessageContaining("payload field 'year' must be an integer, was a string 1957");
        assertThatThrownBy(() -> db.apply(upsert("items", "i1", 100, fields("name", "x", "year", 1957.5))))
                .hasMessageContaining("'year' must be an integer");
        assertThatThrownBy(() -> db.apply(upsert("items", "i1", 100, fields("name", "x", "explicit", "yes"))))
                .hasMessageContaining("'explicit' must be true or false");
    }

    @Test
    void evolvingAddsColumnsKeepsDataAndNeverDrops() throws Exception {
        List<Entity> first = List.of(new Entity("items", List.of(new Field("name", "text", true, null),
                new Field("album", "text", false, null))));
        reopen(first);
        evolve(first);
        db.apply(upsert("items", "i1", 100, fields("name", "Kind of Blue", "album", "Kind of Blue")));

        // album no longer configured, year added
        List<Entity> second = List.of(new Entity("items", List.of(new Field("name", "text", true, null),
                new Field("year", "integer", false, null))));
        reopen(second);
        EntityTables.Changes changes = evolve(second);
        db.apply(upsert("items", "i2", 100, fields("name", "Milestones", "year", 1958)));

        assertThat(changes.createdTables()).isEmpty();
        assertThat(changes.addedColumns()).containsExactly("items.year");
        assertThat(changes.keptColumns()).containsExactly("items.album");
        assertThat(db.row("items", "i1")).containsEntry("name", "Kind of Blue").containsEntry("album", "Kind of Blue")
                .containsEntry("year", null);
        assertThat(db.row("items", "i2")).containsEntry("year", 1958L).containsEntry("album", null);
        assertThat(evolve(second).addedColumns()).as("a second start changes nothing").isEmpty();
    }

    @Test
    void aColumnOfAnotherTypeStopsTheStartNamingIt() throws Exception {
        List<Entity> asText = List.of(new Entity("items", List.of(new Field("year", "text", false, null))));
        reopen(asText);
        evolve(asText);

        List<Entity> asInteger = List.of(new Entity("items", List.of(new Field("year", "integer", false, null))));
        reopen(asInteger);
        assertThatThrownBy(() -> evolve(asInteger))
                .hasMessageContaining("Entity 'items': column 'year' is TEXT in the main database but configured as integer")
                .hasMessageContaining("never changes or drops a column");
    }

    @Test
    void badConfigurationIsRefusedWithItsPath() {
        assertThatThrownBy(() -> new ConfiguredEntitiesProperties(List.of(new Entity("items",
                List.of(new Field("year", "int", false, null))))).definitions())
                .hasMessageContaining("tributary.writer.entities[0].fields[0].type 'int' is not one of text, timestamp,"
                        + " integer, number, boolean, json, reference");
        assertThatThrownBy(() -> new ConfiguredEntitiesProperties(List.of(new Entity("order",
                List.of(new Field("name", "text", false, null))))).definitions())
                .hasMessageContaining("tributary.writer.entities[0].name 'order' is an SQL keyword");
        assertThatThrownBy(() -> new ConfiguredEntitiesProperties(List.of(new Entity("items",
                List.of(new Field("artist_id", "reference", false, null))))).definitions())
                .hasMessageContaining("tributary.writer.entities[0].fields[0] (items.artist_id): a reference names");
        assertThatThrownBy(() -> EntityCatalog.forum().with(new ConfiguredEntitiesProperties(List.of(new Entity("items",
                List.of(new Field("artist_id", "reference", false, "artists"))))).definitions()))
                .hasMessageContaining("references 'artists', which must be defined before it");
        assertThatThrownBy(() -> EntityCatalog.forum().with(new ConfiguredEntitiesProperties(List.of(new Entity("users",
                List.of(new Field("name", "text", false, null))))).definitions()))
                .hasMessageContaining("Entity 'users' is already defined");
        assertThatThrownBy(() -> new ConfiguredEntitiesProperties(List.of(new Entity("items",
                List.of(new Field("source_version", "integer", false, null))))).definitions())
                .hasMessageContaining("reserved for the writer's own columns");
    }
}

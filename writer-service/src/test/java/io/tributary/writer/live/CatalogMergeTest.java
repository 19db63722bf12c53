package io.tributary.writer.live;

import static io.tributary.writer.live.LiveDefinitionsYaml.definition;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import io.tributary.writer.entity.FieldType;
import io.tributary.writer.sources.SourceActivity.Refused;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How definitions join the running catalog: additive merges, conflicts refused by column, built-ins compatible. */
class CatalogMergeTest {

    private static final Set<String> BUILT_INS = Set.copyOf(EntityCatalog.forum().names());
    private static final EntityCatalog FORUM = EntityCatalog.forum();

    private static CatalogMerge.Result merge(EntityCatalog running, String sourceId, String... entities) {
        return CatalogMerge.merge(running, BUILT_INS, TargetEntities.of(definition(sourceId, entities)).entities());
    }

    private static FieldDefinition field(EntityCatalog catalog, String entity, String name) {
        return catalog.get(entity).fields().stream().filter(field -> field.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(entity + " has no field " + name));
    }

    @Test
    void aNewEntityJoinsAfterTheBuiltInsAsDeclared() {
        CatalogMerge.Result result = merge(FORUM, "shop", "items: name:text:required, year:integer");

        assertThat(result.refused()).isEmpty();
        assertThat(result.catalog().names()).containsExactly("users", "sections", "topics", "messages", "items");
        assertThat(result.changed()).extracting(EntityDefinition::name).containsExactly("items");
        assertThat(field(result.catalog(), "items", "name").required()).isTrue();
    }

    @Test
    void aSecondSourceAddsItsColumnsAndAColumnStaysRequiredOnlyIfBothRequireIt() {
        EntityCatalog first = merge(FORUM, "shop", "items: name:text:required, album:text:required").catalog();

        CatalogMerge.Result second = merge(first, "market", "items: name:text:required, album:text, year:integer:required");

        assertThat(second.refused()).isEmpty();
        assertThat(second.catalog().get("items").fields()).containsExactly(
                new FieldDefinition("name", FieldType.TEXT, true, null),
                new FieldDefinition("album", FieldType.TEXT, false, null), // optional for market: not required any more
                new FieldDefinition("year", FieldType.INTEGER, false, null)); // shop's records have no year
        assertThat(second.changed()).extracting(EntityDefinition::name).containsExactly("items");
    }

    @Test
    void theSameDefinitionAgainChangesNothing() {
        EntityCatalog first = merge(FORUM, "shop", "items: name:text:required").catalog();

        CatalogMerge.Result again = merge(first, "shop", "items: name:text:required");

        assertThat(again.changed()).isEmpty();
        assertThat(again.catalog().definitions()).isEqualTo(first.definitions());
    }

    @Test
    void aColumnDroppedByANewVersionStaysInTheCatalog() {
        EntityCatalog first = merge(FORUM, "shop", "items: name:text, album:text").catalog();

        CatalogMerge.Result second = merge(first, "shop", "items: name:text");

        assertThat(second.catalog().get("items").fields()).extracting(FieldDefinition::name)
                .containsExactly("name", "album");
    }

    @Test
    void aTypeConflictRefusesTheLaterDefinitionsEntityNamingTheColumnAndBothTypes() {
        EntityCatalog first = merge(FORUM, "shop", "items: name:text, year:integer").catalog();

        CatalogMerge.Result second = merge(first, "market", "items: name:text, year:text", "labels: name:text");

        assertThat(second.refused()).singleElement().satisfies(refusal -> {
            assertThat(refusal.entity()).isEqualTo("items");
            assertThat(refusal.reason()).contains("column 'year' is integer in the writer's catalog but text in this"
                    + " definition");
        });
        assertThat(second.catalog().get("items")).as("the running entity goes on").isEqualTo(first.get("items"));
        assertThat(second.catalog().names()).as("the definition's other entities are merged").contains("labels");
    }

    @Test
    void aReferenceToAnotherEntityIsAConflictToo() {
        EntityCatalog first = merge(FORUM, "shop", "artists: name:text", "labels: name:text",
                "items: maker_id:reference>artists").catalog();

        CatalogMerge.Result second = merge(first, "shop", "labels: name:text", "items: maker_id:reference>labels");

        assertThat(second.refused()).singleElement().extracting(Refused::reason).asString()
                .contains("column 'maker_id' is reference to artists in the writer's catalog but reference to labels");
    }

    @Test
    void anExistingEntityGainingAReferenceToANewEntityIsOrderedAfterIt() {
        EntityCatalog first = merge(FORUM, "shop", "items: name:text").catalog();

        CatalogMerge.Result second = merge(first, "shop", "artists: name:text", "items: name:text,"
                + " artist_id:reference>artists");

        assertThat(second.refused()).isEmpty();
        assertThat(second.catalog().names()).containsSubsequence("artists", "items");
        assertThat(second.changed()).extracting(EntityDefinition::name).containsExactly("artists", "items");
    }

    @Test
    void theForumDefinitionIsCompatibleWithTheBuiltInsAndChangesNothing() {
        CatalogMerge.Result result = CatalogMerge.merge(FORUM, BUILT_INS, TargetEntities.of(new SourceDefinitionLoader()
                .load(Path.of("..", "examples", "forum.yaml"))).entities());

        assertThat(result.refused()).isEmpty();
        assertThat(result.changed()).isEmpty();
        assertThat(result.catalog().definitions()).isEqualTo(FORUM.definitions());
    }

    @Test
    void aBuiltInIsRefusedForAColumnItDoesNotHaveOfAnotherTypeOrARequiredColumnLeftOptional() {
        assertThat(merge(FORUM, "shop", "users: name:text:required, email:text:required,"
                + " created_at:timestamp:required, updated_at:timestamp:required, nickname:text").refused())
                .singleElement().extracting(Refused::reason).asString()
                .contains("column 'nickname' is not a column of the built-in entity");
        assertThat(merge(FORUM, "shop", "sections: title:integer:required, created_at:timestamp:required,"
                + " updated_at:timestamp:required").refused())
                .singleElement().extracting(Refused::reason).asString()
                .contains("column 'title' is text in the built-in entity but integer in this definition");
        assertThat(merge(FORUM, "shop", "sections: title:text, created_at:timestamp:required,"
                + " updated_at:timestamp:required").refused())
                .singleElement().extracting(Refused::reason).asString()
                .contains("column 'title' is required by the built-in entity but optional in this definition");
        assertThat(merge(FORUM, "shop", "sections: title:text:required").refused())
                .singleElement().extracting(Refused::reason).asString()
                .contains("column 'created_at' is required by the built-in entity but absent");
    }

    @Test
    void aReferenceToAnEntityOutsideTheCatalogRefusesTheEntity() {
        CatalogMerge.Result result = CatalogMerge.merge(FORUM, BUILT_INS, List.of(new EntityDefinition("items",
                List.of(new FieldDefinition("artist_id", FieldType.REFERENCE, false, "artists")))));

        assertThat(result.refused()).singleElement().extracting(Refused::reason).asString()
                .contains("references 'artists', which is not in the writer's catalog");
        assertThat(result.catalog().names()).doesNotContain("items");
    }
}

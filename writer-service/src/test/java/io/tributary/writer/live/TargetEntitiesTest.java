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
import org.junit.jupiter.api.Test;

/** A definition's targets as the writer's entities: types, required, references, apply order, refusals. */
class TargetEntitiesTest {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final SourceDefinitionLoader LOADER = new SourceDefinitionLoader();

    @Test
    void theThirdPartyExampleBecomesThreeEntitiesWithTypedJsonAndReferenceColumns() {
        TargetEntities.Translation translation = TargetEntities.of(LOADER.load(EXAMPLES.resolve("third-party-rest.yaml")));

        assertThat(translation.refused()).isEmpty();
        assertThat(translation.delivered()).as("one-way").isEmpty();
        assertThat(translation.entities()).extracting(EntityDefinition::name).containsExactly("authors", "posts",
                "comments");
        EntityDefinition posts = translation.entities().get(1);
        assertThat(posts.fields()).containsExactly(
                new FieldDefinition("author_id", FieldType.REFERENCE, true, "authors"),
                new FieldDefinition("title", FieldType.TEXT, true, null),
                new FieldDefinition("status", FieldType.TEXT, true, null),
                new FieldDefinition("published_on", FieldType.TEXT, false, null),
                new FieldDefinition("reading_minutes", FieldType.INTEGER, true, null),
                new FieldDefinition("tags", FieldType.JSON, false, null),
                new FieldDefinition("sections", FieldType.JSON, false, null));
        assertThat(translation.entities().get(2).fields()).contains(
                new FieldDefinition("approved", FieldType.BOOLEAN, true, null));
    }

    @Test
    void theForumExampleIsTheBuiltInCatalog() {
        TargetEntities.Translation translation = TargetEntities.of(LOADER.load(EXAMPLES.resolve("forum.yaml")));

        assertThat(translation.entities()).isEqualTo(EntityCatalog.forum().definitions());
    }

    @Test
    void theMusicInventoryIsDeliveredBothWays() {
        TargetEntities.Translation translation = TargetEntities.of(LOADER.load(EXAMPLES.resolve("music-inventory.yaml")));

        assertThat(translation.entities()).extracting(EntityDefinition::name).containsExactly("music_items");
        assertThat(translation.delivered()).containsExactly("music_items");
        assertThat(TargetEntities.of(LOADER.load(EXAMPLES.resolve("music-inventory-webhooks.yaml"))).delivered())
                .as("delivered by signed webhooks").containsExactly("music_items");
    }

    @Test
    void anEntityComesAfterTheEntitiesItReferencesWhateverTheDeclarationOrder() {
        TargetEntities.Translation translation = TargetEntities.of(definition("shop",
                "items: name:text, artist_id:reference>artists, parent_id:reference>items",
                "artists: name:text:required"));

        assertThat(translation.entities()).extracting(EntityDefinition::name).containsExactly("artists", "items");
        assertThat(translation.refused()).isEmpty();
    }

    @Test
    void anEntityTheWriterCannotTakeIsRefusedAloneWithWhatReferencesIt() {
        TargetEntities.Translation translation = TargetEntities.of(definition("shop",
                "orders: select:text", // 'select' is an SQL keyword: statements name columns unquoted
                "lines: order_id:reference>orders, quantity:integer",
                "notes: body:text"));

        assertThat(translation.entities()).extracting(EntityDefinition::name).containsExactly("notes");
        assertThat(translation.refused()).extracting(Refused::entity).containsExactly("orders", "lines");
        assertThat(translation.refused().get(0).reason()).contains("field name 'select' is an SQL keyword");
        assertThat(translation.refused().get(1).reason()).contains("references 'orders', which is refused");
    }

    @Test
    void entitiesReferencingEachOtherInACycleAreRefused() {
        TargetEntities.Translation translation = TargetEntities.of(definition("shop",
                "a: b_id:reference>b", "b: a_id:reference>a", "c: name:text"));

        assertThat(translation.entities()).extracting(EntityDefinition::name).containsExactly("c");
        assertThat(translation.refused()).extracting(Refused::entity).containsExactlyInAnyOrder("a", "b");
        assertThat(translation.refused().get(0).reason()).contains("form a cycle");
    }
}

package io.tributary.writer.entity;

import static io.tributary.writer.TestEvents.delete;
import static io.tributary.writer.TestEvents.fields;
import static io.tributary.writer.TestEvents.message;
import static io.tributary.writer.TestEvents.topic;
import static io.tributary.writer.TestEvents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.model.Operation;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventMapperTest {

    private final EventMapper mapper = new EventMapper(EntityCatalog.forum());

    @Test
    void mapsAMessageWithReferencesAsExternalIdsInFieldOrder() {
        RowChange change = mapper.map("tributary.changes.messages", message("m1", 7, "t1", "u1", null, "hi"));

        assertThat(change.op()).isEqualTo(Operation.UPSERT);
        assertThat(change.sourceVersion()).isEqualTo(7);
        assertThat(change.values()).containsExactly("t1", "u1", null, "hi", "1970-01-01T00:00:00.001Z",
                "1970-01-01T00:00:00.007Z");
    }

    @Test
    void anAbsentOptionalReferenceIsNullAndUnknownFieldsAreIgnored() {
        RowChange change = mapper.map(upsert("messages", "m1", 3, fields("topic_id", "t1", "user_id", "u1",
                "body", "b", "created_at", "2026-11-21T10:15:30.123Z", "updated_at", "2026-11-21T10:15:30.123Z",
                "likes", 12)));

        assertThat(change.value("parent_id")).isNull();
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> mapper.map(upsert("sections", "s1", 1, fields("created_at", "2026-11-21T10:15:30.123Z",
                "updated_at", "2026-11-21T10:15:30.123Z"))))
                .isInstanceOf(InvalidChangeEventException.class)
                .hasMessageContaining("payload field 'title' is missing")
                .hasMessageContaining("sections forum-sim:s1 v1");
    }

    @Test
    void aNullRequiredFieldIsNamed() {
        assertThatThrownBy(() -> mapper.map(topic("t1", 1, null, "u1", "title")))
                .isInstanceOf(InvalidChangeEventException.class)
                .hasMessageContaining("payload field 'section_id' is null");
    }

    @Test
    void aWronglyTypedValueIsNamed() {
        assertThatThrownBy(() -> mapper.map(upsert("sections", "s1", 1, fields("title", 42,
                "created_at", "2026-11-21T10:15:30.123Z", "updated_at", "2026-11-21T10:15:30.123Z"))))
                .isInstanceOf(InvalidChangeEventException.class)
                .hasMessageContaining("payload field 'title' must be a string, was a number 42");
        assertThatThrownBy(() -> mapper.map(upsert("sections", "s1", 1, fields("title", "t",
                "created_at", "yesterday", "updated_at", "2026-11-21T10:15:30.123Z"))))
                .isInstanceOf(InvalidChangeEventException.class)
                .hasMessageContaining("payload field 'created_at' must be an ISO-8601 instant, was 'yesterday'");
        assertThatThrownBy(() -> mapper.map(upsert("messages", "m1", 1, fields("topic_id", List.of("t1"),
                "user_id", "u1", "body", "b", "created_at", "2026-11-21T10:15:30.123Z",
                "updated_at", "2026-11-21T10:15:30.123Z"))))
                .isInstanceOf(InvalidChangeEventException.class)
                .hasMessageContaining("payload field 'topic_id' must be a string, was an array");
    }

    @Test
    void anUnknownEntityIsRejected() {
        assertThatThrownBy(() -> mapper.map(upsert("polls", "p1", 1, fields())))
                .isInstanceOf(InvalidChangeEventException.class)
                .hasMessageContaining("unknown entity 'polls'");
    }

    @Test
    void anEventOnTheWrongTopicIsRejected() {
        assertThatThrownBy(() -> mapper.map("tributary.changes.users", message("m1", 1, "t1", "u1", null, "b")))
                .isInstanceOf(InvalidChangeEventException.class)
                .hasMessageContaining("does not belong on topic tributary.changes.users");
    }

    @Test
    void versionZeroIsReservedForPlaceholders() {
        assertThatThrownBy(() -> mapper.map(message("m1", 0, "t1", "u1", null, "b")))
                .isInstanceOf(InvalidChangeEventException.class)
                .hasMessageContaining("sourceVersion must be >= 1");
    }

    @Test
    void aDeleteNeedsNoPayload() {
        RowChange change = mapper.map(delete("users", "u1", 0));

        assertThat(change.op()).isEqualTo(Operation.DELETE);
        assertThat(change.values()).isEmpty();
    }

    @Test
    void theCatalogRejectsAReferenceToAnEntityDefinedLater() {
        assertThatThrownBy(() -> new EntityCatalog(Arrays.asList(
                new EntityDefinition("topics", List.of(FieldDefinition.reference("section_id", "sections"))),
                new EntityDefinition("sections", List.of(FieldDefinition.text("title"))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'section_id' references 'sections', which must be defined before it");
        assertThatThrownBy(() -> new EntityDefinition("users", List.of(FieldDefinition.text("deleted"))))
                .hasMessageContaining("reserved");
    }
}

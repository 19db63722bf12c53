package io.tributary.writer.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SourceActivityTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T09:00:00Z"));
    private final SourceActivity activity = new SourceActivity(now::get);

    @Test
    void aVersionRefusedStandsUntilAVersionIsTakenAndKeepsItsTimeWhenReadAgain() {
        activity.versionRefused("acme/shop", "acme", "shop", "definition refused: [$.kind: ...]; nothing taken from it");
        Instant first = now.get();
        now.set(first.plusSeconds(30));
        activity.versionRefused("acme/shop", "acme", "shop", "definition refused: [$.kind: ...]; nothing taken from it");

        assertThat(activity.snapshot().refused()).singleElement().isEqualTo(new SourcesStatus.Refusal("acme/shop", "acme",
                "shop", null, "definition refused: [$.kind: ...]; nothing taken from it", first));
        assertThat(activity.refusedCount()).isEqualTo(1);

        activity.taken("acme/shop", "acme", "shop", List.of());
        assertThat(activity.snapshot().refused()).isEmpty();
        assertThat(activity.refusedCount()).isZero();
    }

    @Test
    void theEntitiesRefusedWithAVersionTakenStayBesideANewerVersionRefusedUntilTheNextIsTaken() {
        activity.taken("acme/conflict", "acme", "conflict", List.of(new SourceActivity.Refused("items",
                "column 'year' is integer in the writer's catalog but text in this definition")));
        Instant taken = now.get();
        now.set(taken.plusSeconds(10));
        activity.versionRefused("acme/conflict", "acme", "conflict", "definition refused: [...]; the version taken before goes on");

        assertThat(activity.snapshot().refused()).extracting(SourcesStatus.Refusal::entity, SourcesStatus.Refusal::since)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, now.get()),
                        org.assertj.core.groups.Tuple.tuple("items", taken));

        now.set(taken.plusSeconds(20));
        activity.taken("acme/conflict", "acme", "conflict", List.of(new SourceActivity.Refused("items",
                "column 'year' is integer in the writer's catalog but text in this definition"),
                new SourceActivity.Refused(null, "its local changes cannot be delivered (...)")));
        assertThat(activity.snapshot().refused()).extracting(SourcesStatus.Refusal::entity, SourcesStatus.Refusal::since)
                .as("the same entity refusal keeps its time; the new one starts now")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("items", taken),
                        org.assertj.core.groups.Tuple.tuple(null, now.get()));

        activity.deleted("acme/conflict");
        assertThat(activity.snapshot().refused()).isEmpty();
    }

    @Test
    void theVersionTakenReadAgainEndsTheRefusalOfAVersionInBetweenAndKeepsItsOwn() {
        activity.taken("acme/conflict", "acme", "conflict", List.of(new SourceActivity.Refused("items", "conflict")));
        activity.versionRefused("acme/conflict", "acme", "conflict", "definition refused: [...]");

        activity.takenAgain("acme/conflict");
        assertThat(activity.snapshot().refused()).extracting(SourcesStatus.Refusal::entity).containsExactly("items");
        assertThat(activity.refusedCount()).as("an entity refused with the version taken is not counted").isZero();
    }

    @Test
    void deadLettersAreCountedPerSourceAndEntityWithTheOrganizationOfTheLiveDefinition() {
        activity.taken("acme/music", "acme", "music", List.of());
        activity.deadLettered("music:m-1", "music_items");
        now.set(now.get().plusSeconds(5));
        activity.deadLettered("music:m:with:colons", "music_items");
        activity.deadLettered("forum-sim:s-bad", "sections");
        activity.deadLettered(null, "topics");
        activity.deadLettered("no-colon", "topics");

        SourcesStatus status = activity.snapshot();
        assertThat(status.sources()).extracting(SourcesStatus.Source::id).containsExactly("forum-sim", "music");
        SourcesStatus.Source music = status.sources().get(1);
        assertThat(music.organization()).isEqualTo("acme");
        assertThat(music.entities().get("music_items")).isEqualTo(new SourcesStatus.DeadLetters(2, now.get()));
        assertThat(status.sources().get(0).organization()).as("no live definition has this id").isNull();
        assertThat(status.startedAt()).isEqualTo(Instant.parse("2026-12-07T09:00:00Z"));

        activity.deleted("acme/music");
        assertThat(activity.snapshot().sources().get(1).organization()).as("its definition deleted").isNull();
        assertThat(activity.snapshot().sources().get(1).entities().get("music_items").deadLettered()).isEqualTo(2);
    }
}

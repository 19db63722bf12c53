package io.tributary.definition.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An entity name is held by the organization whose key named it first, until no key of it names it any more. */
class EntityClaimsTest {

    private static final byte[] VALUE = {0};

    @Test
    void anEntityIsHeldByOneOrganizationUntilEveryKeyOfItLetsGo() {
        EntityClaims claims = new EntityClaims();
        assertThat(claims.admit("org-a/music", "org-a", Set.of("music_items", "artists"), VALUE)).isEmpty();
        assertThat(claims.admit("org-a/more-music", "org-a", Set.of("music_items"), VALUE)).isEmpty();
        assertThat(claims.clash("org-a/third", "org-a", Set.of("music_items"))).as("same organization").isEmpty();
        assertThat(claims.clash("org-b/music", "org-b", List.of("zebras", "music_items", "artists")))
                .contains(new EntityClaims.Clash("artists", "org-a/music"));
        assertThat(claims.takeFreed()).isFalse();

        claims.release("org-a/music");
        assertThat(claims.takeFreed()).isTrue();
        assertThat(claims.takeFreed()).as("told once").isFalse();
        assertThat(claims.clash("org-b/music", "org-b", Set.of("artists"))).isEmpty();
        assertThat(claims.clash("org-b/music", "org-b", Set.of("music_items"))).as("still held by the other key")
                .contains(new EntityClaims.Clash("music_items", "org-a/more-music"));

        claims.admit("org-a/more-music", "org-a", Set.of("vinyls"), VALUE); // a new version that no longer names it
        assertThat(claims.takeFreed()).isTrue();
        assertThat(claims.clash("org-b/music", "org-b", Set.of("music_items", "artists"))).isEmpty();
    }

    @Test
    void theNamesAreReadFromTheStoredDefinitionWhateverElseIsWrongWithIt() {
        String value = """
                {"definition": {"organization": "org-a", "id": "music", "kind": "rest",
                  "entities": [{"name": "music_items"}, {"name": "artists", "mapping": "broken"}, {"name": 7}]},
                 "state": {"paused": false}}""";
        StoredSource stored = StoredSource.read("org-a/music", value.getBytes(StandardCharsets.UTF_8));
        assertThat(stored.entityNames()).containsExactly("artists", "music_items");
    }

    @Test
    void aValueRefusedForAClashIsHandedBackOnceTheNameIsLetGoAndNotBefore() {
        EntityClaims claims = new EntityClaims();
        claims.admit("acme/music", "acme", java.util.List.of("music_items"), VALUE);
        assertThat(claims.admit("other/music", "other", java.util.List.of("music_items"), new byte[] {1}))
                .contains(new EntityClaims.Clash("music_items", "acme/music"));
        java.util.List<String> handedBack = new java.util.ArrayList<>();

        claims.applyFreed((key, value) -> handedBack.add(key));
        assertThat(handedBack).as("nothing let go yet").isEmpty();

        claims.release("acme/music");
        claims.applyFreed((key, value) -> {
            handedBack.add(key);
            assertThat(claims.admit(key, "other", java.util.List.of("music_items"), value)).isEmpty();
        });
        assertThat(handedBack).containsExactly("other/music");
        claims.applyFreed((key, value) -> handedBack.add(key));
        assertThat(handedBack).as("handed back once").hasSize(1);
    }

    @Test
    void onlyTheNewestValueOfAKeyIsHandedBack() {
        EntityClaims claims = new EntityClaims();
        claims.admit("acme/music", "acme", List.of("music_items"), VALUE);
        claims.admit("other/music", "other", List.of("music_items"), new byte[] {1});
        claims.admit("other/music", "other", List.of("music_items"), new byte[] {2}); // a newer value, clashing too
        claims.admit("other/films", "other", List.of("music_items"), new byte[] {3});
        claims.superseded("other/films"); // a newer value, waiting for something else or nothing
        java.util.Map<String, Byte> handedBack = new java.util.TreeMap<>();

        claims.release("acme/music");
        claims.applyFreed((key, value) -> handedBack.put(key, value[0]));
        assertThat(handedBack).containsExactly(java.util.Map.entry("other/music", (byte) 2));
    }
}

package io.tributary.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class TokensTest {

    @Test
    void tokensAreRandomAndMatchOnlyTheirOwnHash() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = Tokens.generate();
            assertThat(seen.add(token)).isTrue();
            assertThat(token).startsWith("trb_").hasSize(4 + 43);
            String hash = Tokens.hash(token);
            assertThat(hash).hasSize(64).doesNotContain(token);
            assertThat(Tokens.matches(token, hash)).isTrue();
            assertThat(Tokens.matches(token + "x", hash)).isFalse();
            assertThat(Tokens.matches(token.substring(1), hash)).isFalse();
        }
    }

    @Test
    void propertiesRequireALongBootstrapTokenAndNeverPrintIt() {
        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
        String token = "x".repeat(40);
        AdminProperties valid = new AdminProperties(token, DataSize.ofKilobytes(256), "s", "o", java.time.Duration.ofHours(1), "TRIBUTARY_SECRET_", java.nio.file.Path.of("/run/secrets/tributary"));
        assertThat(validator.validate(valid)).isEmpty();
        assertThat(valid.toString()).doesNotContain(token);
        assertThat(validator.validate(new AdminProperties("short", DataSize.ofKilobytes(256), "s", "o", java.time.Duration.ofHours(1), "TRIBUTARY_SECRET_", java.nio.file.Path.of("/run/secrets/tributary"))))
                .extracting(v -> v.getPropertyPath().toString()).containsExactly("bootstrapToken");
    }

    @Test
    void aRotatedOrganizationAcceptsItsPreviousTokenOnlyUntilItsGraceEnds() {
        String previous = Tokens.generate();
        String current = Tokens.generate();
        java.time.Instant now = java.time.Instant.parse("2026-11-22T10:00:00Z");
        var rotated = new ConfigStore.Organization("org-a", Tokens.hash(current), now.minusSeconds(3600),
                Tokens.hash(previous), now.plusSeconds(60), new java.util.TreeSet<>(), new java.util.TreeSet<>(), null);
        assertThat(rotated.accepts(current, now)).isTrue();
        assertThat(rotated.accepts(previous, now)).isTrue();
        assertThat(rotated.accepts(previous, now.plusSeconds(60))).as("grace over").isFalse();
        assertThat(rotated.accepts(current, now.plusSeconds(600))).isTrue();
        assertThat(rotated.accepts(Tokens.generate(), now)).isFalse();
        var revoked = new ConfigStore.Organization("org-a", Tokens.hash(current), now, null, null, new java.util.TreeSet<>(),
                new java.util.TreeSet<>(), null);
        assertThat(revoked.accepts(previous, now)).isFalse();
        assertThat(revoked.toString()).doesNotContain(Tokens.hash(current));
        // deleted: no token opens it, not even its last one; its claims stay
        var deleted = rotated.claiming("music", java.util.List.of("music_items")).deleted(now);
        assertThat(deleted.accepts(current, now)).isFalse();
        assertThat(deleted.accepts(previous, now)).isFalse();
        assertThat(deleted.sourceIds()).containsExactly("music");
        assertThat(deleted.entities()).containsExactly("music_items");
    }
}

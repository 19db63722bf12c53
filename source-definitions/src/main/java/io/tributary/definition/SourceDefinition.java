package io.tributary.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One external source of one organization, as declared in a definition file. Read and validated by
 * {@link SourceDefinitionLoader}; optional parts carry their defaults. {@code toString} is safe to log:
 * credentials are only ever {@link SecretRef references}.
 */
public record SourceDefinition(
        String organization,
        String id,
        Kind kind,
        @Nullable String description,
        @Nullable String baseUrl,
        Auth auth,
        Schedule schedule,
        @Nullable RateLimit rateLimit,
        RetryPolicy retry,
        Sync sync,
        Webhooks webhooks,
        List<EntitySource> entities) {

    public enum Kind {
        @JsonProperty("rest") REST,
        /** Reserved for change-data-capture sources (issue 7); not accepted yet. */
        @JsonProperty("cdc") CDC
    }

    public SourceDefinition {
        auth = Objects.requireNonNullElse(auth, new Auth.None());
        schedule = Objects.requireNonNullElse(schedule, Schedule.defaults());
        retry = Objects.requireNonNullElse(retry, RetryPolicy.defaults());
        sync = Objects.requireNonNullElse(sync, Sync.oneWay());
        webhooks = Objects.requireNonNullElse(webhooks, Webhooks.none());
        entities = List.copyOf(entities);
    }

    public Optional<EntitySource> entity(String name) {
        return entities.stream().filter(entity -> entity.name().equals(name)).findFirst();
    }
}

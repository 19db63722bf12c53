package io.tributary.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One-way (the source to us) or two-way (our changes are also sent to the source: by REST, an entity's
 * {@link Delivery}, or through outbound webhooks), and for two-way, what happens when both sides changed a
 * record ({@code conflict}, decision 0025).
 */
public record Sync(Mode mode, Conflict conflict) {

    public enum Mode {
        @JsonProperty("one-way") ONE_WAY,
        @JsonProperty("two-way") TWO_WAY
    }

    /**
     * When the source changed a record after the version a local change was based on: the later of the two
     * wins ({@code last-writer-wins}, by time: the local change's commit time against the source's version as
     * a time), the source's version stays ({@code source-wins}, the local change is dropped), or the local
     * change is pushed anyway ({@code local-wins}).
     */
    public enum Conflict {
        @JsonProperty("last-writer-wins") LAST_WRITER_WINS,
        @JsonProperty("source-wins") SOURCE_WINS,
        @JsonProperty("local-wins") LOCAL_WINS
    }

    public Sync {
        mode = Objects.requireNonNullElse(mode, Mode.ONE_WAY);
        conflict = Objects.requireNonNullElse(conflict, Conflict.LAST_WRITER_WINS);
    }

    public Sync(Mode mode) {
        this(mode, null);
    }

    public static Sync oneWay() {
        return new Sync(Mode.ONE_WAY);
    }
}

package io.tributary.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** One-way (the source to us) or two-way (our changes are also sent to the source, through outbound webhooks). */
public record Sync(Mode mode) {

    public enum Mode {
        @JsonProperty("one-way") ONE_WAY,
        @JsonProperty("two-way") TWO_WAY
    }

    public Sync {
        mode = Objects.requireNonNullElse(mode, Mode.ONE_WAY);
    }

    public static Sync oneWay() {
        return new Sync(Mode.ONE_WAY);
    }
}

package io.tributary.writer.outbound;

import static io.tributary.writer.outbound.ConflictPolicy.Resolution.DROP;
import static io.tributary.writer.outbound.ConflictPolicy.Resolution.PUSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.definition.Sync.Conflict;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The worked examples of decision 0025. */
class ConflictPolicyTest {

    /** The source's change at 10:00:05.000 (versions are epoch millis of updatedAt). */
    private static final long SOURCE_VERSION = Instant.parse("2026-11-22T10:00:05Z").toEpochMilli();
    private static final Instant LOCAL_EARLIER = Instant.parse("2026-11-22T10:00:04.999Z");
    private static final Instant LOCAL_LATER = Instant.parse("2026-11-22T10:00:05.001Z");

    @Test
    void aSourceVersionAboveTheBaseIsAConflictUnlessItIsOurOwnPush() {
        long base = SOURCE_VERSION - 10_000;
        assertThat(ConflictPolicy.isConflict(base, SOURCE_VERSION, -1)).isTrue();
        assertThat(ConflictPolicy.isConflict(base, SOURCE_VERSION, SOURCE_VERSION)).as("our own push").isFalse();
        assertThat(ConflictPolicy.isConflict(SOURCE_VERSION, SOURCE_VERSION, -1)).as("unchanged since the base").isFalse();
    }

    @Test
    void lastWriterWinsComparesTheLocalCommitTimeWithTheSourcesVersionTime() {
        assertThat(ConflictPolicy.resolve(Conflict.LAST_WRITER_WINS, LOCAL_LATER, SOURCE_VERSION, true)).isEqualTo(PUSH);
        assertThat(ConflictPolicy.resolve(Conflict.LAST_WRITER_WINS, LOCAL_EARLIER, SOURCE_VERSION, true)).isEqualTo(DROP);
        assertThat(ConflictPolicy.resolve(Conflict.LAST_WRITER_WINS, Instant.ofEpochMilli(SOURCE_VERSION), SOURCE_VERSION, true))
                .as("a tie goes to the source").isEqualTo(DROP);
    }

    @Test
    void lastWriterWinsWithRevisionNumbersFallsBackToSourceWins() {
        assertThat(ConflictPolicy.resolve(Conflict.LAST_WRITER_WINS, LOCAL_LATER, 7, false)).isEqualTo(DROP);
    }

    @Test
    void sourceWinsDropsAndLocalWinsPushesWhateverTheTimes() {
        assertThat(ConflictPolicy.resolve(Conflict.SOURCE_WINS, LOCAL_LATER, SOURCE_VERSION, true)).isEqualTo(DROP);
        assertThat(ConflictPolicy.resolve(Conflict.LOCAL_WINS, LOCAL_EARLIER, SOURCE_VERSION, true)).isEqualTo(PUSH);
    }
}

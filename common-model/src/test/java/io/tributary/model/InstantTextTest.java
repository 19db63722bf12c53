package io.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantTextTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-01-31T12:34:56Z", "2026-01-31T12:34:56.1Z", "2026-01-31T12:34:56.123456789Z", "2024-02-29T00:00:00Z",
            "2000-02-29T23:59:59.999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59.5Z",
            "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T24:00:00Z",
            "2026-01-01T24:00:01Z", "2026-01-01T23:59:60Z", "2026-01-01T12:00:00.Z", "2026-01-01T12:00:00.1234567890Z",
            "2026-01-01t12:00:00z", "2026-01-01T12:00:00+01:00", "2026-01-01T12:00Z", "+12026-01-01T00:00:00Z",
            "2026-1-01T00:00:00Z", "2026-01-01 12:00:00Z", "２０２６-01-01T00:00:00Z", "", "yesterday"})
    void parsesAsInstantParseDoes(String text) {
        assertThat(outcome(() -> InstantText.parse(text))).as(text).isEqualTo(outcome(() -> Instant.parse(text)));
    }

    @Test
    void theCommonShapeIsParsedWithoutTheJdkAndAlwaysAsTheJdkDoes() {
        SplittableRandom random = new SplittableRandom(20261207);
        int fast = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%sZ", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(25), random.nextInt(61), random.nextInt(61), fraction(random));
            if (random.nextInt(10) == 0) {
                char[] chars = text.toCharArray();
                chars[random.nextInt(chars.length)] = "0123456789:-.TZtz+ ".charAt(random.nextInt(19));
                text = new String(chars);
            }
            if (InstantText.fastParse(text) != null) {
                fast++;
            }
            String t = text;
            assertThat(outcome(() -> InstantText.parse(t))).as(text).isEqualTo(outcome(() -> Instant.parse(t)));
        }
        assertThat(fast).as("texts parsed by the fast path").isGreaterThan(100_000);
    }

    @Test
    void formatsAsInstantToStringDoes() {
        SplittableRandom random = new SplittableRandom(7);
        long[] edges = {Instant.MIN.getEpochSecond(), -62_167_219_201L, -62_167_219_200L, -1, 0, 1, 1_700_000_000L,
                253_402_300_799L, 253_402_300_800L, Instant.MAX.getEpochSecond()};
        int[] nanos = {0, 1, 999_999_999, 5_000_000, 120_000_000, 123_000, 123_456_000, 123_456_789, 100};
        for (long second : edges) {
            for (int nano : nanos) {
                Instant instant = Instant.ofEpochSecond(second, nano);
                assertThat(InstantText.format(instant)).isEqualTo(instant.toString());
            }
        }
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(-70_000_000_000L, 260_000_000_000L);
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nano);
            assertThat(InstantText.format(instant)).isEqualTo(instant.toString());
            assertThat(InstantText.parse(InstantText.format(instant))).isEqualTo(instant);
        }
    }

    @Test
    void aTextThatIsNoInstantIsRefusedByTheJdksMessage() {
        assertThatThrownBy(() -> InstantText.parse("2026-02-30T00:00:00Z"))
                .isInstanceOf(DateTimeParseException.class)
                .hasMessageContaining("2026-02-30T00:00:00Z");
    }

    /** The parsed instant, or the exception's type: what a caller can observe. */
    private static Object outcome(java.util.function.Supplier<Instant> parse) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static String fraction(SplittableRandom random) {
        int digits = random.nextInt(11);
        if (digits == 0) {
            return "";
        }
        StringBuilder fraction = new StringBuilder(".");
        for (int i = 1; i < digits; i++) {
            fraction.append(random.nextInt(10));
        }
        return fraction.toString();
    }
}

package io.tributary.writer.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-01-31T12:34:56Z", "2026-01-31T12:34:56.1Z", "2026-01-31T12:34:56.123456789Z", "2024-02-29T00:00:00Z",
            "2000-02-29T23:59:59.999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T24:00:00Z",
            "2026-01-01T24:00:01Z", "2026-01-01T23:59:60Z", "2026-01-01T12:00:00.Z", "2026-01-01T12:00:00.1234567890Z",
            "2026-01-01t12:00:00z", "2026-01-01T12:00:00+01:00", "2026-01-01T12:00Z", "+12026-01-01T00:00:00Z",
            "2026-1-01T00:00:00Z", "2026-01-01 12:00:00Z", "２０２６-01-01T00:00:00Z", "", "yesterday"})
    void decidesAsInstantParseDoes(String text) {
        assertThat(IsoInstant.isValid(text)).as(text).isEqualTo(jdk(text));
    }

    @Test
    void theCommonShapeIsDecidedWithoutTheJdkAndAlwaysAsTheJdkDoes() {
        SplittableRandom random = new SplittableRandom(20261206);
        int fast = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%sZ", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(25), random.nextInt(61), random.nextInt(61),
                    fraction(random));
            if (random.nextInt(10) == 0) {
                char[] chars = text.toCharArray();
                chars[random.nextInt(chars.length)] = "0123456789:-.TZtz+ ".charAt(random.nextInt(19));
                text = new String(chars);
            }
            if (IsoInstant.fastPath(text) >= 0) {
                fast++;
            }
            assertThat(IsoInstant.isValid(text)).as(text).isEqualTo(jdk(text));
        }
        assertThat(fast).as("texts decided by the fast path").isGreaterThan(150_000);
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

    private static boolean jdk(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}

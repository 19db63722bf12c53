package io.tributary.poller.rest.pagination;

import io.tributary.model.spi.SourceCursor;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable position of a {@link ParallelWalk}: every range with its bound, position and state, as the
 * fields {@code ranges} (count) and, per range {@code i} (two digits or more), {@code r<i>.until},
 * {@code r<i>.updated_at}, {@code r<i>.last_id}, {@code r<i>.passed_at_updated_at}, {@code r<i>.done}.
 * Ranges are contiguous: range {@code i} starts where range {@code i - 1} ends; only the last is unbounded.
 */
public record WalkRanges(List<WalkRange> ranges) {

    static final String COUNT = "ranges";

    public WalkRanges {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("A parallel walk needs at least one range");
        }
        Instant previous = null;
        for (int i = 0; i < ranges.size(); i++) {
            Instant until = ranges.get(i).until();
            boolean last = i == ranges.size() - 1;
            if (last != (until == null) || (until != null && previous != null && !until.isAfter(previous))) {
                throw new IllegalArgumentException("Ranges must have increasing bounds and only the last may be"
                        + " unbounded: " + ranges);
            }
            previous = until;
        }
    }

    /** Whether {@code cursor} is this form (rather than a single {@link ListingPosition}). */
    public static boolean isRanged(SourceCursor cursor) {
        return cursor.fields().containsKey(COUNT);
    }

    /** Every range walked to its end. */
    public boolean done() {
        return ranges.stream().allMatch(WalkRange::done);
    }

    /** The last (unbounded) range, whose position continues the listing once every range is done. */
    public WalkRange last() {
        return ranges.get(ranges.size() - 1);
    }

    public SourceCursor toCursor() {
        Map<String, String> fields = new HashMap<>();
        fields.put(COUNT, Integer.toString(ranges.size()));
        for (int i = 0; i < ranges.size(); i++) {
            WalkRange range = ranges.get(i);
            String prefix = prefix(i);
            if (range.until() != null) {
                fields.put(prefix + "until", ListingPosition.format(range.until()));
            }
            range.position().toCursor().fields().forEach((name, value) -> fields.put(prefix + name, value));
            if (range.done()) {
                fields.put(prefix + "done", "true");
            }
        }
        return new SourceCursor(fields);
    }

    /** Reads {@link #toCursor()}'s form back; rejects a cursor that is not one, naming the problem. */
    public static WalkRanges fromCursor(SourceCursor cursor) {
        Map<String, String> fields = cursor.fields();
        try {
            int count = Integer.parseInt(fields.getOrDefault(COUNT, "0"));
            List<WalkRange> ranges = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String prefix = prefix(i);
                Map<String, String> position = new HashMap<>();
                for (String name : List.of(ListingPosition.UPDATED_AT, ListingPosition.LAST_ID, ListingPosition.PASSED)) {
                    String value = fields.get(prefix + name);
                    if (value != null) {
                        position.put(name, value);
                    }
                }
                String until = fields.get(prefix + "until");
                ranges.add(new WalkRange(until == null ? null : Instant.parse(until),
                        ListingPosition.fromCursor(new SourceCursor(position)),
                        Boolean.parseBoolean(fields.get(prefix + "done"))));
            }
            return new WalkRanges(ranges);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a ranged listing cursor: " + cursor.sorted() + " (" + e.getMessage()
                    + ")", e);
        }
    }

    private static String prefix(int i) {
        return String.format("r%02d.", i);
    }
}

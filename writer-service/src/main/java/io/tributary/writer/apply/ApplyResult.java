package io.tributary.writer.apply;

import io.tributary.model.Operation;
import java.util.List;

/**
 * What one committed batch did.
 *
 * @param counts              events per entity, operation and outcome (only non-zero counts)
 * @param placeholdersCreated placeholder rows inserted for references to records not yet present
 */
public record ApplyResult(List<Count> counts, int placeholdersCreated) {

    public ApplyResult {
        counts = List.copyOf(counts);
    }

    /** The number of events of one entity and operation that had one outcome. */
    public record Count(String entity, Operation op, Outcome outcome, int count) {
    }

    /** Events with the given outcome, over every entity and operation. */
    public int total(Outcome outcome) {
        return counts.stream().filter(c -> c.outcome() == outcome).mapToInt(Count::count).sum();
    }

    /** Events of the given entity, operation and outcome. */
    public int count(String entity, Operation op, Outcome outcome) {
        return counts.stream()
                .filter(c -> c.entity().equals(entity) && c.op() == op && c.outcome() == outcome)
                .mapToInt(Count::count)
                .sum();
    }
}

package io.tributary.poller.rest.definition;

import io.micrometer.core.instrument.Counter;
import io.tributary.mapping.declarative.MappingFailedException;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.status.SourceActivity;

/**
 * Where one partition's records that cannot be mapped are counted: {@code tributary.poller.records.rejected}, and the
 * source's status ({@link SourceActivity}: the count per entity and the last ones with the target field and the
 * reason without the record's values, which the admin API shows to the source's organization).
 */
final class RejectedRecords {

    private final SourcePartition partition;
    private final Counter counter;
    private final SourceActivity activity;

    RejectedRecords(SourcePartition partition, Counter counter, SourceActivity activity) {
        this.partition = partition;
        this.counter = counter;
        this.activity = activity;
    }

    void rejected(MappingFailedException failure) {
        counter.increment();
        activity.rejected(partition, failure.fieldPath(), failure.reasonWithoutValues());
    }
}

package io.tributary.model.spi;

import io.tributary.model.ChangeEvent;
import java.util.List;

/**
 * What one {@link SourceTask#poll()} yields: events in source order, and the cursor that may be committed
 * once Kafka has acknowledged all of them. A batch may be empty and still move the cursor (a page of
 * records already published).
 */
public record SourceBatch(List<ChangeEvent> events, SourceCursor cursor) {

    public SourceBatch {
        events = List.copyOf(events);
    }
}

package io.tributary.simulator.content;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process feed of every change the simulator makes (each record of a bulk update included), published
 * after the change is committed, in commit order, on the mutating thread. This is where an outgoing
 * webhook sender plugs in. A listener that throws is logged and does not affect others.
 */
public final class ForumChangeFeed {

    private static final Logger log = LoggerFactory.getLogger(ForumChangeFeed.class);

    /** A subscription; closing it stops the deliveries. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final List<Consumer<ForumChange>> listeners = new CopyOnWriteArrayList<>();

    /** Delivers every later change to {@code listener} (quickly: it runs on the mutating thread). */
    public Subscription subscribe(Consumer<ForumChange> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(List<ForumChange> changes) {
        for (Consumer<ForumChange> listener : listeners) {
            for (ForumChange change : changes) {
                try {
                    listener.accept(change);
                } catch (RuntimeException e) {
                    log.warn("Change listener failed on {} {}: {}", change.eventType(), change.id(), e.toString());
                }
            }
        }
    }
}

package io.tributary.writer.entity;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The entity catalog the writer applies now. An {@link EntityCatalog} never changes; when the writer learns
 * entities while it runs (source definitions on the config topic, decision 0029) a whole new catalog replaces the
 * current one. Readers take {@link #get()} each time they need one: the listener once per batch (so one batch is
 * validated and applied against one catalog), the status, inventory, progress and tombstone purge per request or
 * run. Meters that exist per entity are registered by the {@link #onReplace listeners}.
 */
public final class CurrentCatalog {

    private volatile EntityCatalog catalog;
    private final List<Consumer<EntityCatalog>> listeners = new CopyOnWriteArrayList<>();

    public CurrentCatalog(EntityCatalog initial) {
        this.catalog = initial;
    }

    public EntityCatalog get() {
        return catalog;
    }

    /** Makes {@code next} the current catalog, then tells every listener (on the caller's thread, in order). */
    public synchronized void replace(EntityCatalog next) {
        catalog = next;
        listeners.forEach(listener -> listener.accept(next));
    }

    /** {@code listener} sees every later catalog; the current one is not replayed to it. */
    public void onReplace(Consumer<EntityCatalog> listener) {
        listeners.add(listener);
    }
}

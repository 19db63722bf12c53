package io.tributary.poller.rest.pagination;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks the ranges of one listing ({@link WalkRanges}, contiguous {@code updated_at} ranges) concurrently,
 * each with its own bounded {@link ListingWalker}, and hands their trusted pages to one consumer in the
 * order they arrive, with the position of every range after them (decision 0026).
 *
 * <p>Why it is correct: each range is an ordinary overlap-anchored walk (0004) of the listing for
 * {@code updated_since = from}, stopped at {@code until}; together the ranges cover every {@code updated_at}.
 * A record updated during the walk moves forward to a newer {@code updated_at}: either still inside its
 * range ahead of the walker, or into a later range, which is unbounded for the last one. The durable
 * position ({@link Progress#ranges()}) records each range's walker only after the steps that moved it were
 * handed out, so a restart resumes every range where its published records end; finished ranges are not
 * walked again.
 *
 * <p>At most {@code concurrency} ranges are walked at once, in range order; fetching runs ahead of the
 * consumer by at most {@code lead} pages, which pipelines fetching with publishing. A range whose walk fails
 * (HTTP retries exhausted) fails {@link #next}; the caller closes this walk and starts again from its last
 * durable position. Not thread-safe: one consumer thread.
 */
public final class ParallelWalk<R> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ParallelWalk.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** What the consumer takes: the records of one or more pages and every range's position after them. */
    public record Progress<R>(List<Row<R>> emit, WalkRanges ranges) {
    }

    private sealed interface Signal<R> {
    }

    private record Stepped<R>(int range, WalkStep<R> step) implements Signal<R> {
    }

    private record Finished<R>(int range) implements Signal<R> {
    }

    private record Failed<R>(int range, RuntimeException failure) implements Signal<R> {
    }

    private final List<WalkRange> ranges;
    private final BlockingQueue<Signal<R>> queue;
    private final ExecutorService pool;

    /**
     * Starts walking every range that is not done.
     *
     * @param walkers     a new walker for one range (each range has its own)
     * @param concurrency ranges walked at once
     * @param lead        trusted pages fetched ahead of the consumer, at least {@code concurrency}
     * @param name        names the threads, e.g. {@code forum-sim/messages}
     */
    public ParallelWalk(WalkRanges start, Supplier<ListingWalker<R>> walkers, int concurrency, int lead, String name) {
        if (concurrency < 1 || lead < concurrency) {
            throw new IllegalArgumentException("concurrency must be >= 1 and lead >= concurrency, were " + concurrency
                    + " and " + lead);
        }
        this.ranges = new ArrayList<>(start.ranges());
        this.queue = new ArrayBlockingQueue<>(lead);
        int poolId = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "walk-" + name + "-" + poolId + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.pool = Executors.newFixedThreadPool(concurrency, factory);
        for (int i = 0; i < ranges.size(); i++) {
            if (!ranges.get(i).done()) {
                int range = i;
                WalkRange from = ranges.get(i);
                ListingWalker<R> walker = walkers.get();
                pool.execute(() -> walk(range, from, walker));
            }
        }
    }

    private void walk(int range, WalkRange start, ListingWalker<R> walker) {
        try {
            walker.start(start.position(), start.until());
            for (Optional<WalkStep<R>> step = walker.next(); step.isPresent(); step = walker.next()) {
                queue.put(new Stepped<>(range, step.get()));
            }
            queue.put(new Finished<>(range));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!pool.isShutdown()) {
                try {
                    queue.put(new Failed<>(range, e));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Every range walked to its end, and all of their records handed out. */
    public boolean done() {
        return ranges.stream().allMatch(WalkRange::done);
    }

    /**
     * Waits for the next page of any range, then takes whatever else is ready while it holds fewer than
     * {@code maxRecords} records (so at most one page beyond). Throws the failure of a range that could not be walked; not to be called once {@link #done()}.
     */
    public Progress<R> next(int maxRecords) throws InterruptedException {
        if (done()) {
            throw new IllegalStateException("Every range is done");
        }
        List<Row<R>> emit = new ArrayList<>();
        Signal<R> signal = queue.take();
        do {
            apply(signal, emit);
        } while (emit.size() < maxRecords && !done() && (signal = queue.poll()) != null);
        return new Progress<>(emit, new WalkRanges(ranges));
    }

    private void apply(Signal<R> signal, List<Row<R>> emit) {
        if (signal instanceof Stepped<R> stepped) {
            emit.addAll(stepped.step().emit());
            ranges.set(stepped.range(), ranges.get(stepped.range()).at(stepped.step().position()));
        } else if (signal instanceof Finished<R> finished) {
            ranges.set(finished.range(), ranges.get(finished.range()).finished());
            LOG.debug("Range {} of {} walked to its end ({})", finished.range() + 1, ranges.size(),
                    ranges.get(finished.range()));
        } else if (signal instanceof Failed<R> failed) {
            WalkRange range = ranges.get(failed.range());
            throw new IllegalStateException("Walking range " + (failed.range() + 1) + " of " + ranges.size()
                    + " (until " + (range.until() == null ? "the end" : ListingPosition.format(range.until()))
                    + ", at " + range.position() + ") failed: " + failed.failure(), failed.failure());
        }
    }

    /** Stops every range's walk (interrupting requests in flight); pages not yet handed out are dropped. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}

package io.bantin.answer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import io.bantin.web.DatabaseErrors;

/**
 * Rendered answers by canonical key, each for one version of its scopes, bounded in bytes (identity and
 * gzip forms both counted): past the budget the least recently used go first. Concurrent requests for the
 * same key and version share one render; a render runs detached, so a reader who leaves cancels nothing.
 */
public final class AnswerCache {

    /** What an entry costs besides its bytes (map node, entry, key, header strings), roughly. */
    static final int ENTRY_OVERHEAD = 512;

    /** Evicting goes a little below the budget, so a flood of new keys sorts the entries rarely. */
    private static final double EVICT_TO = 0.9;

    private record Entry(String version, CompletableFuture<Rendered> rendered, AtomicLong charged,
            AtomicLong lastUsed) {

        Rendered ready() {
            CompletableFuture<Rendered> future = rendered;
            return future.isDone() && !future.isCompletedExceptionally() ? future.getNow(null) : null;
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long maxBytes;
    private final Duration renderTimeout;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong renders = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final Object evicting = new Object();

    public AnswerCache(long maxBytes, Duration renderTimeout) {
        this.maxBytes = maxBytes;
        this.renderTimeout = renderTimeout;
    }

    /** The rendered answer of {@code key}, whatever its version; null when none is ready. Counts as a use. */
    public Rendered peek(String key) {
        Entry entry = entries.get(key);
        Rendered ready = entry == null ? null : entry.ready();
        if (ready != null) {
            entry.lastUsed().set(System.nanoTime());
        }
        return ready;
    }

    /** Counts an answer served from a copy found by {@link #peek}. */
    public void hit() {
        hits.incrementAndGet();
    }

    /**
     * The answer of {@code key} at {@code version}, rendering it once when missing. Failures and renders slower
     * than the timeout are not kept (the timeout fails as the database not answering: a 503), so the next
     * request tries again.
     */
    public Mono<Rendered> get(String key, String version, Supplier<Mono<Rendered>> render) {
        Entry current = entries.get(key);
        if (current == null || !current.version().equals(version)) {
            Entry fresh = new Entry(version, new CompletableFuture<>(), new AtomicLong(),
                    new AtomicLong(System.nanoTime()));
            Entry[] replaced = new Entry[1];
            current = entries.compute(key, (k, old) -> {
                if (old != null && old.version().equals(version)) {
                    return old;
                }
                replaced[0] = old;
                return fresh;
            });
            if (replaced[0] != null) {
                uncount(replaced[0]);
            }
            if (current == fresh) {
                start(key, fresh, render);
                return Mono.fromFuture(fresh.rendered(), true);
            }
        }
        current.lastUsed().set(System.nanoTime());
        hits.incrementAndGet();
        return Mono.fromFuture(current.rendered(), true);
    }

    private void start(String key, Entry entry, Supplier<Mono<Rendered>> render) {
        renders.incrementAndGet();
        // A render is mostly waiting on the database (pool, queries): one that runs out of time is the
        // database not answering in time, answered 503 like any other database outage.
        Mono.defer(render).timeout(renderTimeout)
                .onErrorMap(error -> DatabaseErrors.timedOut(error, "cache: render of " + key + " abandoned"))
                .subscribe(rendered -> {
                    // Charged (and the budget restored) before any reader gets it: the cache never holds more
                    // than its budget once an answer is out.
                    long weight = rendered.weight() + 2L * key.length() + ENTRY_OVERHEAD;
                    if (weight > maxBytes / 4) {
                        entries.remove(key, entry); // served once, never kept: it would crowd out everything else
                    }
                    else {
                        entry.charged().set(weight);
                        bytes.addAndGet(weight);
                        if (entries.get(key) != entry) {
                            uncount(entry); // replaced or cleared while rendering
                        }
                        if (bytes.get() > maxBytes) {
                            evict();
                        }
                    }
                    entry.rendered().complete(rendered);
                }, error -> {
                    entries.remove(key, entry);
                    entry.rendered().completeExceptionally(error);
                });
    }

    /** Takes an entry that left the map off the budget (once, whoever gets here first). */
    private void uncount(Entry entry) {
        bytes.addAndGet(-entry.charged().getAndSet(0));
    }

    /** Drops the least recently used entries until the cache is back under its budget. */
    private void evict() {
        synchronized (evicting) {
            if (bytes.get() <= maxBytes) {
                return;
            }
            List<java.util.Map.Entry<String, Entry>> all = new ArrayList<>(entries.entrySet());
            all.sort(Comparator.comparingLong(e -> e.getValue().lastUsed().get()));
            long target = (long) (maxBytes * EVICT_TO);
            for (java.util.Map.Entry<String, Entry> oldest : all) {
                if (bytes.get() <= target) {
                    break;
                }
                if (oldest.getValue().ready() != null && entries.remove(oldest.getKey(), oldest.getValue())) {
                    uncount(oldest.getValue());
                    evictions.incrementAndGet();
                }
            }
        }
    }

    /** Drops everything (tests; an operator's purge). */
    public void clear() {
        entries.forEach((key, entry) -> {
            if (entries.remove(key, entry)) {
                uncount(entry);
            }
        });
    }

    public long bytes() {
        return bytes.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int entries() {
        return entries.size();
    }

    public long hits() {
        return hits.get();
    }

    public long renders() {
        return renders.get();
    }

    public long evictions() {
        return evictions.get();
    }
}

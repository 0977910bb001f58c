package io.bantin.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.bantin.web.DatabaseErrors;

/**
 * Rendered representations (bytes and their gzip form) per key and generation. Concurrent requests
 * for the same key share one render; a new generation replaces the entry, so a write invalidates
 * every feed at once and a thousand readers of an unchanged feed cost one render.
 */
@Component
public class RenderCache {

    /** Enough for every format, limit and scope in use; past it the cache starts over rather than grow. */
    static final int MAX_ENTRIES = 2048;

    /** A render that takes longer is abandoned (its readers get a 503) rather than waited on forever. */
    static final Duration RENDER_TIMEOUT = Duration.ofSeconds(20);

    /** One rendered representation, plain and gzipped. */
    public record Rendered(byte[] identity, byte[] gzip) {

        static Rendered of(byte[] identity) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(identity.length / 4 + 64);
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(identity);
            }
            catch (IOException e) {
                throw new UncheckedIOException("feed: unable to gzip in memory", e);
            }
            return new Rendered(identity, out.toByteArray());
        }
    }

    private record Entry(String generation, CompletableFuture<Rendered> rendered) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong renders = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final Duration renderTimeout;

    RenderCache(Duration renderTimeout) {
        this.renderTimeout = renderTimeout;
    }

    /** Publishes renders against cache hits: a poll answered from memory shows as a hit. */
    @Autowired
    RenderCache(MeterRegistry registry) {
        this(RENDER_TIMEOUT);
        FunctionCounter.builder("bantin.feed.renders", renders, AtomicLong::get)
                .description("Feeds and pages rendered (each serves every reader of its generation)").register(registry);
        FunctionCounter.builder("bantin.feed.cache.hits", hits, AtomicLong::get)
                .description("Feed and page answers served from an already rendered copy").register(registry);
    }

    /**
     * The cached representation of {@code key} at {@code generation}, rendering it once when missing.
     * The render runs detached from the request that started it: a reader who leaves never cancels
     * what the others wait for. Failures and renders slower than {@link #RENDER_TIMEOUT} are not kept:
     * the next request tries again.
     */
    public Mono<Rendered> get(String key, String generation, Supplier<Mono<byte[]>> render) {
        Entry current = entries.get(key);
        if (current == null || !current.generation().equals(generation)) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            Entry fresh = new Entry(generation, new CompletableFuture<>());
            current = entries.compute(key, (k, old) -> old != null && old.generation().equals(generation) ? old : fresh);
            if (current == fresh) {
                start(key, fresh, render);
            }
            else {
                hits.incrementAndGet();
            }
        }
        else {
            hits.incrementAndGet();
        }
        return Mono.fromFuture(current.rendered(), true);
    }

    /** The representation of {@code key} at {@code generation} if it is already rendered; null otherwise. */
    Rendered peek(String key, String generation) {
        Entry entry = entries.get(key);
        if (entry == null || !entry.generation().equals(generation) || !entry.rendered().isDone()
                || entry.rendered().isCompletedExceptionally()) {
            return null;
        }
        hits.incrementAndGet();
        return entry.rendered().getNow(null);
    }

    private void start(String key, Entry entry, Supplier<Mono<byte[]>> render) {
        renders.incrementAndGet();
        // A render is mostly waiting on the database (pool, queries): one that runs out of time is the
        // database not answering in time, answered 503 like any other database outage.
        Mono.defer(render).map(Rendered::of).timeout(renderTimeout)
                .onErrorMap(error -> DatabaseErrors.timedOut(error, "feed: render of " + key + " abandoned"))
                .subscribe(entry.rendered()::complete, error -> {
            entries.remove(key, entry);
            entry.rendered().completeExceptionally(error);
        });
    }

    /** How many renders have started since start-up: what the cache saves shows here. */
    public long renders() {
        return renders.get();
    }
}

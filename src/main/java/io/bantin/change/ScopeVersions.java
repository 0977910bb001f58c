package io.bantin.change;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.bantin.web.DatabaseErrors;

/**
 * The version of an answer made of some scopes (see {@link Scopes}): it moves when a committed change
 * touches one of them, and answers' validators ({@code ETag}, {@code Last-Modified}) derive from it.
 * A scope's version is the newest event that touched it, the same on every instance: read from the log on
 * first use ({@link EventLog#newestTouching}), then moved by the change bus (it is its first listener, so
 * everything after it sees answers that include the change). A scope none of the kept events touched has
 * version {@code 0}, its Last-Modified the oldest kept event's time.
 */
@Component
public class ScopeVersions implements ChangeListener {

    /**
     * One version of some scopes.
     *
     * @param id what identifies it (opaque; changes whenever one of the scopes changed)
     * @param lastModified when it came to be, to the second, for {@code Last-Modified}
     * @param stale true when the database could not be asked: the last version known, served anyway
     */
    public record Version(String id, Instant lastModified, boolean stale) {
    }

    /** The newest change to touch one scope: its seq, its version id, and the scope's Last-Modified. */
    record Entry(long seq, String id, Instant lastModified) {

        static Entry of(long seq, Instant at) {
            return new Entry(seq, seq == 0 ? "0" : ScopeVersions.id(seq, at), at.truncatedTo(ChronoUnit.SECONDS));
        }

        Entry newer(Entry other) {
            return other == null || seq >= other.seq ? this : other;
        }
    }

    private final ChangeBus bus;
    private final EventLog eventLog;
    private final ChangeProperties properties;
    private final Map<String, Entry> scopes = new ConcurrentHashMap<>();
    // Bumped whenever the map is emptied: a lookup that began before must not store what it read.
    private final AtomicLong generation = new AtomicLong();
    // The newest event without scopes (logged before they were kept): it touched every scope.
    private volatile Entry everything;
    // The newest change seen, for a stale answer about a scope never looked up.
    private volatile Entry newestSeen;

    ScopeVersions(ChangeBus bus, EventLog eventLog, ChangeProperties properties) {
        this.bus = bus;
        this.eventLog = eventLog;
        this.properties = properties;
    }

    /** The version of {@code scopes} while this instance is sure it is current; null when only a query would tell. */
    public Version fresh(Collection<String> scopes) {
        return bus.trusted() ? version(scopes, false) : null;
    }

    /** The version of {@code scopes}: known at once when fresh, else asked of the database (stale when it cannot be). */
    public Mono<Version> current(Collection<String> scopes) {
        Version fresh = fresh(scopes);
        if (fresh != null) {
            return Mono.just(fresh);
        }
        Mono<Void> caughtUp = bus.trusted() ? Mono.empty() : bus.read();
        return caughtUp.then(Mono.defer(() -> lookUp(scopes)))
                .timeout(properties.writerWait())
                .onErrorMap(error -> DatabaseErrors.timedOut(error, "versions: bulletin_events not read in time"))
                .onErrorResume(error -> newestSeen == null ? Mono.error(error) : Mono.just(version(scopes, true)));
    }

    /** Reads the versions of the scopes not known yet from the log, keeps them, and answers the set's version. */
    private Mono<Version> lookUp(Collection<String> wanted) {
        List<String> missing = wanted.stream().filter(scope -> !scopes.containsKey(scope)).toList();
        if (missing.isEmpty()) {
            return Mono.just(version(wanted, false));
        }
        long before = generation.get();
        return eventLog.newestTouching(missing).collectMap(EventLog.Touched::scope).map(found -> {
            Map<String, Entry> read = new HashMap<>();
            found.values().forEach(touched -> read.put(touched.scope(), Entry.of(touched.seq(), touched.at())));
            if (generation.get() == before) {
                read.forEach(this::learn);
            }
            return version(wanted, read);
        });
    }

    /** Keeps what the log said of a scope, unless the bus has meanwhile delivered a newer change to it. */
    void learn(String scope, Entry read) {
        scopes.merge(scope, read, Entry::newer);
    }

    /** The version of {@code wanted} as this instance knows it now; null when a scope was never looked up. */
    Version version(Collection<String> wanted, boolean stale) {
        Version known = version(wanted, Map.of());
        if (!stale) {
            return known;
        }
        if (known != null) {
            return new Version(known.id(), known.lastModified(), true);
        }
        Entry newest = newestSeen;
        return new Version(newest.id(), newest.lastModified(), true);
    }

    private Version version(Collection<String> wanted, Map<String, Entry> read) {
        Entry newest = everything;
        Instant modified = newest == null ? Instant.EPOCH : newest.lastModified();
        for (String scope : wanted) {
            Entry entry = scopes.getOrDefault(scope, read.get(scope));
            if (entry == null) {
                return null;
            }
            newest = entry.newer(newest);
            if (entry.lastModified().isAfter(modified)) {
                modified = entry.lastModified();
            }
        }
        return newest == null ? null : new Version(newest.id(), modified, false);
    }

    @Override
    public void changed(Change change) {
        Entry entry = Entry.of(change.seq(), change.at());
        newestSeen = entry;
        if (change.scopes() == null) {
            everything = entry;
            return;
        }
        for (String scope : change.scopes()) {
            Entry previous = scopes.get(scope);
            Instant modified = previous == null ? entry.lastModified() : after(previous.lastModified(), entry.lastModified());
            scopes.put(scope, new Entry(entry.seq(), entry.id(), modified));
        }
        if (scopes.size() > properties.rememberedScopes()) {
            forget(); // memory stays bounded: the scopes are read from the log again when next asked for
        }
    }

    @Override
    public void following(long seq, Instant at) {
        // At start-up nothing is known yet; after the log was found truncated or restored, nothing known holds.
        newestSeen = Entry.of(seq, at);
        everything = null;
        forget();
    }

    private void forget() {
        generation.incrementAndGet();
        scopes.clear();
    }

    /**
     * Events carry their transaction's start time, so a later event can be older than the one before it, and
     * two can share a second; Last-Modified must still move forward or If-Modified-Since would hide the change.
     * It moves at most one second past the clock, though: under many writes a second, ETags tell them apart.
     */
    private static Instant after(Instant previous, Instant at) {
        if (at.isAfter(previous)) {
            return at;
        }
        Instant bumped = previous.plusSeconds(1);
        return bumped.isAfter(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)) ? previous : bumped;
    }

    /** The seq and the event's time: sequence numbers alone repeat if the log is ever emptied and restarted. */
    private static String id(long seq, Instant at) {
        return seq + "." + Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, at), 36);
    }

    @Override
    public int getOrder() {
        return VERSIONS;
    }
}

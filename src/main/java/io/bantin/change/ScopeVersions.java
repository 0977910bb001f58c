package io.bantin.change;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.bantin.web.DatabaseErrors;

/**
 * The version of an answer made of some scopes (see {@link Scopes}): it moves when a committed change
 * touches one of them, and answers' validators ({@code ETag}, {@code Last-Modified}) derive from it.
 * Fed by the change bus (it is its first listener, so everything after it sees answers that include
 * the change); a scope untouched since start-up has the baseline version, the log's end at start-up.
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
    private record Entry(long seq, String id, Instant lastModified) {
    }

    private final ChangeBus bus;
    private final ChangeProperties properties;
    private final Map<String, Entry> scopes = new ConcurrentHashMap<>();
    private volatile Entry baseline;
    private volatile Instant newestModified = Instant.EPOCH;

    ScopeVersions(ChangeBus bus, ChangeProperties properties) {
        this.bus = bus;
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
        return bus.read()
                .timeout(properties.writerWait())
                .onErrorMap(error -> DatabaseErrors.timedOut(error, "versions: bulletin_events not read in time"))
                .then(Mono.fromCallable(() -> version(scopes, false)))
                .onErrorResume(error -> baseline == null ? Mono.error(error) : Mono.just(version(scopes, true)));
    }

    /** The version of {@code wanted} as this instance knows it now. */
    Version version(Collection<String> wanted, boolean stale) {
        Entry base = baseline;
        if (base == null) {
            throw new IllegalStateException("versions: the event log was never read");
        }
        Entry newest = base;
        Instant modified = base.lastModified();
        for (String scope : wanted) {
            Entry entry = scopes.getOrDefault(scope, base);
            if (entry.seq() > newest.seq()) {
                newest = entry;
            }
            if (entry.lastModified().isAfter(modified)) {
                modified = entry.lastModified();
            }
        }
        return new Version(newest.id(), modified, stale);
    }

    @Override
    public void changed(Change change) {
        String id = id(change.seq(), change.at());
        Instant at = change.at().truncatedTo(ChronoUnit.SECONDS);
        if (change.scopes() == null) {
            raise(change.seq(), id, at);
            return;
        }
        Entry base = baseline;
        for (String scope : change.scopes()) {
            Entry previous = scopes.getOrDefault(scope, base);
            Instant modified = after(previous.lastModified(), at);
            scopes.put(scope, new Entry(change.seq(), id, modified));
            if (modified.isAfter(newestModified)) {
                newestModified = modified;
            }
        }
        if (scopes.size() > properties.rememberedScopes()) {
            raise(change.seq(), id, at); // memory stays bounded: every scope now shares this version
        }
    }

    @Override
    public void following(long seq, Instant at) {
        raise(seq, id(seq, at), at.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Every scope takes this version: the baseline moves up first, so a reader never sees an older one. */
    private void raise(long seq, String id, Instant at) {
        Instant modified = at.isAfter(newestModified) ? at : newestModified;
        newestModified = modified;
        baseline = new Entry(seq, id, modified);
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

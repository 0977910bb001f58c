package io.bantin.change;

import java.time.Instant;
import java.util.Collection;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.bantin.feed.FeedGeneration;

/**
 * The version of an answer made of some scopes (see {@link Scopes}): it moves when a committed change
 * touches one of them, and answers' validators ({@code ETag}, {@code Last-Modified}) derive from it.
 * For now every scope shares the site-wide generation; the change bus makes it per scope.
 */
@Component
public class ScopeVersions {

    /**
     * One version of some scopes.
     *
     * @param id what identifies it (opaque; changes whenever one of the scopes changed)
     * @param lastModified when it came to be, to the second, for {@code Last-Modified}
     * @param stale true when the database could not be asked: the last version known, served anyway
     */
    public record Version(String id, Instant lastModified, boolean stale) {
    }

    private final FeedGeneration generation;

    ScopeVersions(FeedGeneration generation) {
        this.generation = generation;
    }

    /** The version of {@code scopes} while this instance is sure it is current; null when only a query would tell. */
    public Version fresh(Collection<String> scopes) {
        return of(generation.fresh());
    }

    /** The version of {@code scopes}: known at once when fresh, else asked of the database (stale when it cannot be). */
    public Mono<Version> current(Collection<String> scopes) {
        return generation.current().map(ScopeVersions::of);
    }

    private static Version of(FeedGeneration.Generation g) {
        return g == null ? null : new Version(g.id(), g.lastModified(), g.stale());
    }
}

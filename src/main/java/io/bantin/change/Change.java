package io.bantin.change;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One committed write, as every consumer on every instance receives it: its place in the event log, what
 * happened to which bulletin, the scopes it touched and the payload streams send.
 *
 * @param seq its sequence number in the event log
 * @param kind what happened, as streams name it
 * @param bulletinId the bulletin it happened to
 * @param at when it was logged (its transaction's time)
 * @param scopes the scopes it touched (see {@link Scopes}), before and after; null when unknown (an event
 *               logged before scopes were kept), which consumers must read as "everything"
 * @param terms the bulletin's category and tags after the change, for stream filters
 * @param previous its terms before an edit; else null
 * @param payload the JSON text streams send
 */
public record Change(long seq, Kind kind, UUID bulletinId, Instant at, Set<String> scopes, Terms terms,
        Terms previous, String payload) {

    /** Kinds of change, as streams name them. */
    public enum Kind {
        published, updated, deleted
    }

    /** A bulletin's category (null when none) and tags, as slugs: what stream filters look at. */
    public record Terms(String category, List<String> tags) {
    }

    /**
     * The scopes it touched; for an event logged before scopes were kept, those its terms tell (the site, the
     * category and tags before and after; not the author, which such events do not name).
     */
    public Set<String> knownScopes() {
        if (scopes != null) {
            return scopes;
        }
        Set<String> guessed = new java.util.LinkedHashSet<>(List.of(Scopes.SITE, Scopes.TAXONOMY, Scopes.bulletin(bulletinId)));
        for (Terms side : new Terms[] {terms, previous}) {
            if (side != null) {
                if (side.category() != null) {
                    guessed.add(Scopes.category(side.category()));
                }
                side.tags().forEach(tag -> guessed.add(Scopes.tag(tag)));
            }
        }
        return guessed;
    }
}

package io.bantin.grip;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Where each GRIP channel stands in the event log: the newest event up to a point that its channel carries (0
 * when none). Pushpin chains a channel's items by id ({@code prev-id}), so the publisher and a stream's hold must
 * name the same previous item: both read it here, from the log, whichever instance asks and whenever.
 */
@Repository
class ChannelPositions {

    private final DatabaseClient db;

    ChannelPositions(DatabaseClient db) {
        this.db = db;
    }

    /** For each filter, the newest seq up to {@code upTo} that its channel carries (see {@link GripChannels.Filter#frame}). */
    Mono<Map<GripChannels.Filter, Long>> newest(Collection<GripChannels.Filter> filters, long upTo) {
        List<GripChannels.Filter> asked = new ArrayList<>(filters);
        if (asked.isEmpty()) {
            return Mono.just(Map.of());
        }
        // Empty strings for "any": a text[] bound with null elements is not something to count on.
        String[] categories = asked.stream().map(f -> f.category() == null ? "" : f.category()).toArray(String[]::new);
        String[] tags = asked.stream().map(f -> f.tag() == null ? "" : f.tag()).toArray(String[]::new);
        String[] kinds = asked.stream().map(f -> f.deletions() ? "deleted"
                : f.category() == null && f.tag() == null ? "all" : "filter").toArray(String[]::new);
        // The filter rule is the stream's (StreamRequest.view): the event's terms follow it, or an edit's previous
        // terms did (it leaves as a deletion); deletions have their own channel once a filter is set.
        return db.sql("""
                SELECT f.i, COALESCE((
                    SELECT max(e.seq) FROM bulletin_events e
                    WHERE e.seq <= :upTo AND (
                        f.k = 'all'
                        OR (f.k = 'deleted' AND e.kind = 'deleted')
                        OR (f.k = 'filter' AND e.kind <> 'deleted' AND (
                            ((f.c = '' OR e.category_slug = f.c) AND (f.t = '' OR f.t = ANY(e.tag_slugs)))
                            OR (e.previous_tag_slugs IS NOT NULL AND (f.c = '' OR e.previous_category_slug = f.c)
                                AND (f.t = '' OR f.t = ANY(e.previous_tag_slugs))))))), 0) AS seq
                FROM unnest(CAST(:categories AS text[]), CAST(:tags AS text[]), CAST(:kinds AS text[]))
                     WITH ORDINALITY AS f(c, t, k, i)""")
                .bind("upTo", upTo).bind("categories", categories).bind("tags", tags).bind("kinds", kinds)
                .map(row -> Map.entry(row.get("i", Long.class).intValue() - 1, row.get("seq", Long.class)))
                .all()
                .collectList()
                .map(rows -> {
                    Map<GripChannels.Filter, Long> newest = new HashMap<>();
                    rows.forEach(row -> newest.put(asked.get(row.getKey()), row.getValue()));
                    return newest;
                });
    }
}

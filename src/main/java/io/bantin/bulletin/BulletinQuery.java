package io.bantin.bulletin;

import java.time.OffsetDateTime;

import io.bantin.web.Cursor;

/**
 * Filters of a bulletin list; each null field filters nothing.
 *
 * @param category a category slug
 * @param tag a tag slug
 * @param author an author slug
 * @param q words to find, diacritics-insensitive
 * @param limit null for every match (exports only)
 * @param statuses null for what readers see; else the bulletins (not withdrawn) of these statuses, for a token's
 *     list, every publisher's (never cached)
 */
record BulletinQuery(String category, String tag, String author, String q, OffsetDateTime since,
        OffsetDateTime until, Cursor after, Integer limit, java.util.Set<Status> statuses) {

    BulletinQuery withLimit(Integer newLimit) {
        return new BulletinQuery(category, tag, author, q, since, until, after, newLimit, statuses);
    }

    /** The same query, continuing below {@code last} in newest-first order. */
    BulletinQuery after(Bulletin last) {
        return new BulletinQuery(category, tag, author, q, since, until,
                new Cursor(last.publishedAt().toInstant(), last.id()), limit, statuses);
    }
}

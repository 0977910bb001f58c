package io.bantin.feed;

import io.bantin.bulletin.Bulletin;
import io.bantin.web.Cursor;

/**
 * One page of a paged feed (RFC 5005 3): at most {@code limit} bulletins older than {@code before}
 * (null for the first page). A page's contents depend only on its cursor, never on what was published
 * after it, so an older page stays the same until one of its own bulletins changes.
 */
record FeedPage(int limit, Cursor before) {

    /** The page after this one, starting below {@code last}, the oldest bulletin shown here. */
    FeedPage older(Bulletin last) {
        return new FeedPage(limit, new Cursor(last.publishedAt().toInstant(), last.id()));
    }

    /** This page's query string, also its cache key's tail: {@code ?before=…}, with the limit when not the default. */
    String query() {
        String limitPart = limit == FeedHandler.DEFAULT_LIMIT ? "" : "limit=" + limit;
        if (before == null) {
            return limitPart.isEmpty() ? "" : "?" + limitPart;
        }
        return "?before=" + before.encode() + (limitPart.isEmpty() ? "" : "&" + limitPart);
    }
}

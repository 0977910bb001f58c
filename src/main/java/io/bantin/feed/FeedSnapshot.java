package io.bantin.feed;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.bantin.bulletin.Bulletin;

/**
 * One feed as every format sees it: text already free of characters XML forbids, every URL absolute.
 * Renderers only map it onto their wire format.
 *
 * @param selfUrls the absolute URL of this feed in each format (its first page, the one readers subscribe to)
 * @param updated the newest change among the entries (or of the site when there are none)
 * @param hubUrl the WebSub hub the feed advertises (https://www.w3.org/TR/websub/#discovery); null for none
 * @param pageQuery the query of this page when it is an older one ({@code ?before=…}); null on the first page
 * @param nextQuery the query of the next older page (RFC 5005 3, "next"); null when this page reaches the oldest
 */
record FeedSnapshot(String title, String description, String homeUrl, Map<FeedFormat, String> selfUrls,
        String language, OffsetDateTime updated, List<Entry> entries, String hubUrl, String pageQuery,
        String nextQuery) {

    /** A single-page feed. */
    FeedSnapshot(String title, String description, String homeUrl, Map<FeedFormat, String> selfUrls,
            String language, OffsetDateTime updated, List<Entry> entries, String hubUrl) {
        this(title, description, homeUrl, selfUrls, language, updated, entries, hubUrl, null, null);
    }

    /** The feed's subscription URL in {@code format}: its first page. */
    String selfUrl(FeedFormat format) {
        return selfUrls.get(format);
    }

    /** The URL of this very page in {@code format} (RFC 4287 "self"). */
    String pageUrl(FeedFormat format) {
        return pageQuery == null ? selfUrl(format) : selfUrl(format) + pageQuery;
    }

    /** The next older page in {@code format}; null when there is none. */
    String nextUrl(FeedFormat format) {
        return nextQuery == null ? null : selfUrl(format) + nextQuery;
    }

    boolean firstPage() {
        return pageQuery == null;
    }

    /** One bulletin in a feed; {@code contentHtml} is the sanitized body with absolute links. */
    record Entry(UUID id, String url, String title, String summary, String contentHtml, String author,
            Bulletin.Term category, List<Bulletin.Term> tags, List<Bulletin.Image> images, String language,
            OffsetDateTime published, OffsetDateTime updated) {
    }
}

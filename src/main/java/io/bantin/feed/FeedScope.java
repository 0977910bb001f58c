package io.bantin.feed;

import io.bantin.answer.PublicUrls;
import io.bantin.change.Scopes;

/**
 * Which bulletins a feed holds: all of them, or one category, tag or author (by slug).
 *
 * @param segment the path segment of the kind ({@code categories}, {@code tags}, {@code authors}); null for the site
 */
record FeedScope(String segment, String slug) {

    static final FeedScope SITE = new FeedScope(null, null);

    static FeedScope category(String slug) {
        return new FeedScope("categories", slug);
    }

    static FeedScope tag(String slug) {
        return new FeedScope("tags", slug);
    }

    static FeedScope author(String slug) {
        return new FeedScope("authors", slug);
    }

    /** What the slug names, for messages. */
    String noun() {
        return site() ? "site" : switch (segment) {
            case "categories" -> "category";
            case "tags" -> "tag";
            default -> "author";
        };
    }

    boolean site() {
        return segment == null;
    }

    /** The server path of this scope's reader page: the home page, or e.g. {@code /categories/kinh-te}. */
    String htmlPath() {
        return site() ? "/" : "/" + segment + "/" + slug;
    }

    /** The server path of this scope's feed in {@code format}, e.g. {@code /feeds/tags/ea-kar/atom.xml}. */
    String path(FeedFormat format) {
        return PublicUrls.feed(segment, slug, format.file());
    }

    /** What this feed is made of, as changes name it. */
    String scope() {
        return site() ? Scopes.SITE : switch (segment) {
            case "categories" -> Scopes.category(slug);
            case "tags" -> Scopes.tag(slug);
            default -> Scopes.author(slug);
        };
    }
}

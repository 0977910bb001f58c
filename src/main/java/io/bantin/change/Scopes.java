package io.bantin.change;

import java.util.UUID;

/**
 * The names of what a change touches and what an answer is made of: an answer's validators move only when a
 * change touches one of its scopes, and CDNs purge by the same names ({@code Surrogate-Key}).
 */
public final class Scopes {

    /** Every list and feed of the whole site. */
    public static final String SITE = "site";

    /** The category and tag lists with their counts, and the OPML directory. */
    public static final String TAXONOMY = "taxonomy";

    private Scopes() {
    }

    public static String bulletin(UUID id) {
        return "bulletin:" + id;
    }

    public static String category(String slug) {
        return "category:" + slug;
    }

    public static String tag(String slug) {
        return "tag:" + slug;
    }

    public static String author(String slug) {
        return "author:" + slug;
    }
}

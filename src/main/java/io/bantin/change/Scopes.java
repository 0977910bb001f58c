package io.bantin.change;

import java.time.Duration;
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

    /**
     * How far behind the clock a publish may date its bulletin and still count as one at the head of its feeds:
     * such a publish does not touch their {@link #archive archived pages}, which are older than any cursor taken
     * more than this long ago. Wide against the skew between the database's and the JVM's clocks.
     */
    public static final Duration HEAD = Duration.ofMinutes(10);

    private Scopes() {
    }

    /**
     * The older pages ({@code ?before=}) of the feed made of {@code scope}: touched by every change to what
     * {@code scope} holds except a publish at its head, so new bulletins leave archived pages' validators alone.
     */
    public static String archive(String scope) {
        return "archive:" + scope;
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

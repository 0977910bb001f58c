package io.bantin.answer;

import java.util.List;
import java.util.Map;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The URL layout of every public, cacheable read: the paths routes declare, links and OPML point to, WebSub
 * topics are named by, and the direct route matches. Adding a cached page is a {@link Route} here and one
 * {@link Answers#register} call in its handler.
 */
public final class PublicUrls {

    public static final String FEEDS = "/feeds/";
    public static final String OPML = "/feeds/opml.xml";
    public static final List<String> FEED_FILES = List.of("rss.xml", "atom.xml", "feed.json");
    public static final String API = "/api/v1";

    /** Every cacheable read, by path pattern (Spring's syntax); the first match wins. */
    public enum Route {
        OPML(PublicUrls.OPML),
        SITE_FEED("/feeds/{file}"),
        CATEGORY_FEED("/feeds/categories/{slug}/{file}"),
        TAG_FEED("/feeds/tags/{slug}/{file}"),
        AUTHOR_FEED("/feeds/authors/{slug}/{file}"),
        HOME("/"),
        BULLETIN_PAGE("/bulletins/{slug}"),
        CATEGORY_PAGE("/categories/{slug}"),
        TAG_PAGE("/tags/{slug}"),
        AUTHOR_PAGE("/authors/{slug}"),
        BULLETINS(API + "/bulletins"),
        BULLETIN(API + "/bulletins/{idOrSlug}"),
        CATEGORIES(API + "/categories"),
        TAGS(API + "/tags");

        private final String pattern;
        private final PathPattern parsed;

        Route(String pattern) {
            this.pattern = pattern;
            this.parsed = PathPatternParser.defaultInstance.parse(pattern);
        }

        /** The pattern, as routes declare it. */
        public String pattern() {
            return pattern;
        }
    }

    /** A path matched to its route, with the decoded path variables. */
    public record Match(Route route, Map<String, String> variables) {
    }

    private PublicUrls() {
    }

    /**
     * Whether {@code uri} (path and query) may name a cacheable read: a cheap test on the literal start of each
     * route, so that the direct route leaves everything else to Spring at once.
     */
    public static boolean mayMatch(String uri) {
        for (Route route : Route.values()) {
            int variable = route.pattern.indexOf('{');
            if (variable >= 0 ? uri.startsWith(route.pattern.substring(0, variable))
                    : uri.startsWith(route.pattern) && (uri.length() == route.pattern.length()
                            || uri.charAt(route.pattern.length()) == '?')) {
                return true;
            }
        }
        return false;
    }

    /** The route of {@code path} (no query string), or null when it names no cacheable read. */
    public static Match match(String path) {
        PathContainer container = PathContainer.parsePath(path);
        for (Route route : Route.values()) {
            PathPattern.PathMatchInfo info = route.parsed.matchAndExtract(container);
            if (info != null) {
                return new Match(route, info.getUriVariables());
            }
        }
        return null;
    }

    /** A feed's path: {@code kind} is categories, tags or authors, or null for the site's. */
    public static String feed(String kind, String slug, String file) {
        return (kind == null ? FEEDS : FEEDS + kind + "/" + slug + "/") + file;
    }

    /** Every format of a feed, as WebSub topics name them (absolute with {@code base}). */
    public static List<String> feedTopics(String base, String kind, String slug) {
        return FEED_FILES.stream().map(file -> base + feed(kind, slug, file)).toList();
    }

    /** A bulletin's reader page. */
    public static String page(String slug) {
        return "/bulletins/" + slug;
    }

    /** Where uploaded photos' files live: {@code /media/{key}/{width}.{extension}}, immutable (see media/). */
    public static final String MEDIA = "/media/";

    /** One rendition file of an uploaded photo; {@code key} is a hash of its files, so the bytes never change. */
    public static String mediaFile(String key, int width, String extension) {
        return MEDIA + key + "/" + width + "." + extension;
    }

    /** An uploaded photo's API resource. */
    public static String media(Object id) {
        return API + "/media/" + id;
    }

    /** A bulletin's API resource. */
    public static String bulletin(Object idOrSlug) {
        return API + "/bulletins/" + idOrSlug;
    }
}

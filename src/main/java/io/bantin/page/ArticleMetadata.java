package io.bantin.page;

import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.bantin.bulletin.Bulletin;
import io.bantin.bulletin.Slugs;
import io.bantin.media.Media;
import io.bantin.system.BantinProperties;

/**
 * What a bulletin page tells chat apps and search engines: Open Graph (https://ogp.me/) and Twitter card
 * tags, and schema.org NewsArticle JSON-LD (https://schema.org/NewsArticle).
 */
@Component
class ArticleMetadata {

    private final BantinProperties properties;
    private final JsonMapper json;

    ArticleMetadata(BantinProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
    }

    /** The {@code <meta property>} tags: og:* and article:*. */
    List<Map<String, String>> openGraph(Bulletin b) {
        List<Map<String, String>> tags = new ArrayList<>();
        add(tags, "og:type", "article");
        add(tags, "og:site_name", PageFrame.SITE);
        add(tags, "og:title", b.title());
        add(tags, "og:description", description(b));
        add(tags, "og:url", url(b));
        add(tags, "og:locale", "vi".equals(b.language()) ? "vi_VN" : b.language());
        images(b).forEach(image -> {
            // Facebook and Zalo want 1200 px wide cards; its size lets them lay the card out before they fetch it.
            Media.Rendition card = image.large();
            add(tags, "og:image", card.url());
            if (card.type() != null) {
                add(tags, "og:image:type", card.type());
                add(tags, "og:image:width", Integer.toString(card.width()));
                add(tags, "og:image:height", Integer.toString(card.height()));
            }
            if (!image.alt().isBlank()) {
                add(tags, "og:image:alt", image.alt());
            }
        });
        add(tags, "article:published_time", time(b.publishedAt()));
        add(tags, "article:modified_time", time(b.updatedAt()));
        if (b.category() != null) {
            add(tags, "article:section", b.category().name());
        }
        if (!Slugs.of(b.author()).isEmpty()) {
            add(tags, "article:author", properties.url("/authors/" + Slugs.of(b.author())));
        }
        b.tags().forEach(tag -> add(tags, "article:tag", tag.name()));
        return tags;
    }

    /** The {@code <meta name>} tags of a Twitter card (a large photo when there is one). */
    List<Map<String, String>> twitterCard(Bulletin b) {
        List<Image> images = images(b);
        List<Map<String, String>> tags = new ArrayList<>();
        tags.add(Map.of("name", "twitter:card", "content", images.isEmpty() ? "summary" : "summary_large_image"));
        tags.add(Map.of("name", "twitter:title", "content", b.title()));
        tags.add(Map.of("name", "twitter:description", "content", description(b)));
        if (!images.isEmpty()) {
            tags.add(Map.of("name", "twitter:image", "content", images.get(0).large().url()));
            if (!images.get(0).alt().isBlank()) {
                tags.add(Map.of("name", "twitter:image:alt", "content", images.get(0).alt()));
            }
        }
        return tags;
    }

    /** NewsArticle JSON-LD, escaped so that nothing in it can end the script element it sits in. */
    String jsonLd(Bulletin b) {
        Map<String, Object> article = new LinkedHashMap<>();
        article.put("@context", "https://schema.org");
        article.put("@type", "NewsArticle");
        article.put("mainEntityOfPage", object("@type", "WebPage", "@id", url(b)));
        article.put("url", url(b));
        article.put("headline", b.title());
        article.put("description", description(b));
        article.put("inLanguage", b.language());
        article.put("datePublished", time(b.publishedAt()));
        article.put("dateModified", time(b.updatedAt()));
        List<Image> images = images(b);
        if (!images.isEmpty()) {
            article.put("image", images.stream().flatMap(ArticleMetadata::imageObjects).toList());
        }
        article.put("author", b.author().isBlank() ? organization()
                : List.of(Slugs.of(b.author()).isEmpty() ? object("@type", "Person", "name", b.author())
                        : object("@type", "Person", "name", b.author(),
                                "url", properties.url("/authors/" + Slugs.of(b.author())))));
        article.put("publisher", organization());
        if (b.category() != null) {
            article.put("articleSection", b.category().name());
        }
        if (!b.tags().isEmpty()) {
            article.put("keywords", b.tags().stream().map(Bulletin.Term::name).toList());
        }
        return scriptSafe(json.writeValueAsString(article));
    }

    /**
     * JSON that may sit inside {@code <script>}: {@code <}, {@code >} and {@code &} as Unicode escapes (so
     * no {@code </script>} or {@code <!--} can appear), and U+2028/U+2029, which old parsers take as line ends.
     */
    static String scriptSafe(String jsonText) {
        StringBuilder out = new StringBuilder(jsonText.length() + 16);
        for (int i = 0; i < jsonText.length(); i++) {
            char c = jsonText.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private Map<String, Object> organization() {
        return object("@type", "NewsMediaOrganization", "name", PageFrame.SITE, "url", properties.url("/"));
    }

    /** A JSON object whose members keep their order, so the same bulletin renders the same bytes. */
    private static Map<String, Object> object(String... namesAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            object.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return object;
    }

    /** The lead, or the title when there is none: previews need some text. */
    static String description(Bulletin b) {
        return b.summary().isBlank() ? b.title() : b.summary();
    }

    private String url(Bulletin b) {
        return properties.url("/bulletins/" + b.slug());
    }

    /** A photo as previews may fetch it: every size Bantin keeps of it, or its one URL. */
    private record Image(String url, String alt, List<Media.Rendition> renditions) {

        /** The 1200 px wide (or larger) size, else the largest; the photo itself, size unknown, for one elsewhere. */
        Media.Rendition large() {
            if (renditions.isEmpty()) {
                return new Media.Rendition(url, null, 0, 0, 0);
            }
            return renditions.stream().filter(r -> r.width() >= CARD_WIDTH).findFirst()
                    .orElse(renditions.get(renditions.size() - 1));
        }
    }

    private static final int CARD_WIDTH = 1200;

    /** Google counts images of at least 50,000 pixels for article results; fewer would be ignored. */
    private static final int SEARCH_MIN_PIXELS = 50_000;

    /**
     * A photo in NewsArticle JSON-LD: each kept size large enough for Google's article results as an ImageObject
     * with its width and height, largest first; a photo elsewhere by its URL.
     */
    private static java.util.stream.Stream<Object> imageObjects(Image image) {
        if (image.renditions().isEmpty()) {
            return java.util.stream.Stream.of(image.url());
        }
        List<Media.Rendition> large = image.renditions().stream()
                .filter(r -> (long) r.width() * r.height() >= SEARCH_MIN_PIXELS).toList();
        List<Media.Rendition> shown = large.isEmpty() ? List.of(image.large()) : large;
        return java.util.stream.IntStream.range(0, shown.size()).mapToObj(i -> shown.get(shown.size() - 1 - i))
                .map(r -> {
                    Map<String, Object> object = new LinkedHashMap<>();
                    object.put("@type", "ImageObject");
                    object.put("url", r.url());
                    object.put("width", r.width());
                    object.put("height", r.height());
                    return object;
                });
    }

    /** The photos as absolute http(s) URLs: previews fetch them from elsewhere. */
    private List<Image> images(Bulletin b) {
        List<Image> images = new ArrayList<>();
        for (Bulletin.Image image : b.images()) {
            try {
                URI resolved = URI.create(properties.url("/")).resolve(image.url().strip());
                if ("https".equals(resolved.getScheme()) || "http".equals(resolved.getScheme())) {
                    images.add(new Image(resolved.toString(), image.altText(),
                            image.renditions() == null ? List.of() : image.renditions()));
                }
            }
            catch (IllegalArgumentException e) {
                // not a URL a preview could fetch
            }
        }
        return images;
    }

    private static String time(java.time.OffsetDateTime at) {
        return at.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static void add(List<Map<String, String>> tags, String property, String content) {
        tags.add(Map.of("property", property, "content", content));
    }
}

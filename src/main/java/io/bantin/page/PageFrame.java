package io.bantin.page;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.bantin.bulletin.Bulletin;
import io.bantin.feed.FeedLinks;
import io.bantin.system.BantinProperties;

/** Puts a page's content into the frame every reader page shares: head, masthead, sections, breadcrumbs. */
@Component
class PageFrame {

    static final String SITE = "Bantin";

    /** One step of the breadcrumbs; {@code url} null for the page itself. */
    record Crumb(String name, String url) {
    }

    /**
     * What a page says about itself in its head and frame.
     *
     * @param path the page's own path and query (its canonical URL, made absolute); null for none (error pages)
     * @param next the path of the next older page; null when there is none
     * @param properties Open Graph and article meta tags ({@code property}, {@code content})
     * @param names other named meta tags, e.g. Twitter cards ({@code name}, {@code content})
     * @param jsonLd structured data, already escaped for a script element; null for none
     * @param section the slug of the category the page belongs to, marked in the sections; null for none
     */
    record Page(String language, String title, String description, String path, String next,
            List<Map<String, String>> properties, List<Map<String, String>> names, List<FeedLinks.Link> feeds,
            String jsonLd, List<Crumb> crumbs, String section) {
    }

    private final PageTemplates templates;
    private final BantinProperties properties;

    PageFrame(PageTemplates templates, BantinProperties properties) {
        this.templates = templates;
        this.properties = properties;
    }

    /** {@code path} as an absolute URL under {@code bantin.public-url}. */
    String url(String path) {
        return properties.url(path);
    }

    /** The whole page as UTF-8: {@code content} (HTML rendered already) in the frame, with these sections. */
    byte[] render(Page page, List<Bulletin.Term> sections, String content) {
        Map<String, Object> head = new HashMap<>();
        head.put("title", page.title());
        head.put("description", page.description());
        head.put("canonical", page.path() == null ? null : properties.url(page.path()));
        head.put("next", page.next() == null ? null : properties.url(page.next()));
        head.put("properties", page.properties());
        head.put("names", page.names());
        head.put("feeds", page.feeds().stream()
                .map(link -> Map.of("type", link.type(), "label", link.label(), "href", link.href())).toList());
        head.put("jsonLd", page.jsonLd());
        Map<String, Object> model = new HashMap<>();
        model.put("language", page.language());
        model.put("head", templates.render("head", head));
        model.put("site", SITE);
        model.put("hasSections", !sections.isEmpty());
        // aria-current: "page" on the category's own page, "true" on a page inside it (WAI-ARIA 1.2).
        String own = page.path() == null ? null : page.path().replaceFirst("\\?.*", "");
        model.put("sections", sections.stream().map(term -> {
            String url = "/categories/" + term.slug();
            String current = !term.slug().equals(page.section()) ? "" : url.equals(own) ? "page" : "true";
            return Map.of("url", url, "name", term.name(), "current", current);
        }).toList());
        model.put("crumbs", page.crumbs().stream().map(crumb -> {
            Map<String, Object> c = new HashMap<>();
            c.put("name", crumb.name());
            c.put("url", crumb.url());
            return c;
        }).toList());
        model.put("content", content);
        return templates.render("layout", model).getBytes(StandardCharsets.UTF_8);
    }

    /** Open Graph tags of a listing page (https://ogp.me/), one property and its content each. */
    List<Map<String, String>> website(String title, String path) {
        return List.of(Map.of("property", "og:type", "content", "website"),
                Map.of("property", "og:site_name", "content", SITE),
                Map.of("property", "og:title", "content", title),
                Map.of("property", "og:url", "content", properties.url(path)),
                Map.of("property", "og:locale", "content", "vi_VN"));
    }
}

package io.bantin.feed;

import java.net.URI;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;

/** Prepares a stored (already sanitized) body for syndication: links and image sources made absolute. */
final class BodyHtml {

    // xhtml escaping writes only &amp; &lt; &gt; &quot; and numeric references: nothing an XML reader lacks.
    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings()
            .prettyPrint(false).charset("UTF-8").escapeMode(Entities.EscapeMode.xhtml);

    private BodyHtml() {
    }

    /** The body with every {@code href} and {@code src} resolved against {@code base}, the bulletin's page URL. */
    static String absolute(String html, String base) {
        String clean = XmlText.clean(html);
        if (clean.isBlank()) {
            return "";
        }
        Document doc = Jsoup.parseBodyFragment(clean, base);
        doc.outputSettings(OUTPUT);
        for (String attribute : new String[] {"href", "src"}) {
            for (Element element : doc.select("[" + attribute + "]")) {
                String absolute = element.absUrl(attribute);
                if (absolute.isEmpty()) {
                    element.removeAttr(attribute); // neither absolute nor resolvable: a broken link helps no reader
                }
                else {
                    element.attr(attribute, absolute);
                }
            }
        }
        return XmlText.clean(doc.body().html());
    }

    /** A URL resolved against {@code base}; unchanged when it is already absolute or cannot be parsed. */
    static String absoluteUrl(String url, String base) {
        try {
            return URI.create(base).resolve(url.strip()).toString();
        }
        catch (IllegalArgumentException e) {
            return url;
        }
    }
}

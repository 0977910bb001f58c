package io.bantin.bulletin;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Sanitizes bulletin bodies on the way in with jsoup's allow-list cleaner: scripts, event handlers,
 * styles and {@code javascript:}/{@code data:} URLs never reach the database; figures, captions,
 * images, links and tables stay. Output is not re-indented, so clean input comes back unchanged.
 */
final class HtmlSanitizer {

    // Relative links survive cleaning; feeds make them absolute when they render.
    private static final String BASE = "http://relative.invalid/";

    private static final Safelist SAFELIST = Safelist.relaxed()
            .addTags("figure", "figcaption", "hr", "mark", "small", "time")
            .addAttributes("time", "datetime")
            .addProtocols("a", "href", "tel")
            .preserveRelativeLinks(true);

    private static final Pattern SPACES = Pattern.compile("[\\s\\x00-\\x1f]+");
    private static final Pattern SCRIPT_SCHEME = Pattern.compile("(javascript|vbscript|data):");

    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings()
            .prettyPrint(false)
            .charset("UTF-8")
            .escapeMode(Entities.EscapeMode.base);

    private HtmlSanitizer() {
    }

    static String sanitize(String html) {
        if (html.isBlank()) {
            return html.strip();
        }
        Document clean = new Cleaner(SAFELIST).clean(Jsoup.parseBodyFragment(html, BASE));
        clean.outputSettings(OUTPUT);
        for (Element element : clean.body().getAllElements()) {
            for (String attribute : List.of("href", "src")) {
                // A relative link such as "url(javascript:…)" cannot run, but no reader needs one either.
                String value = SPACES.matcher(element.attr(attribute)).replaceAll("").toLowerCase(Locale.ROOT);
                if (SCRIPT_SCHEME.matcher(value).find()) {
                    element.removeAttr(attribute);
                }
            }
        }
        // jsoup writes U+00A0 as &nbsp;, which XML feeds do not know; keep the character itself.
        return clean.body().html().replace("&nbsp;", "\u00A0");
    }

    /** The text of sanitized HTML, for the search index. */
    static String text(String html) {
        return Jsoup.parseBodyFragment(html).text();
    }
}

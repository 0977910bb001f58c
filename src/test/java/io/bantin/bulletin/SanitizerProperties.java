package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;

/** Generated hostile HTML never gets a script, an event handler or a script URL past the sanitizer. */
class SanitizerProperties {

    static final Set<String> DANGEROUS_TAGS = Set.of("script", "iframe", "object", "embed", "svg", "math", "style",
            "form", "input", "button", "base", "meta", "link", "frame", "frameset", "applet", "template", "noscript");

    static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "action", "background", "poster", "data", "cite");

    @Property(tries = 2000)
    void nothingExecutableSurvives(@ForAll("hostileHtml") String html) {
        String clean = HtmlSanitizer.sanitize(html);
        assertSafe(clean);
    }

    @Property(tries = 1000)
    void plainTextIsKeptAsWrittenApartFromControlCharacters(@ForAll("hostileHtml") String text) {
        String expected = text.replace("\u0000", "").replace("\u202E", "");
        assertThat(PlainText.clean(text)).isEqualTo(java.text.Normalizer.normalize(expected, java.text.Normalizer.Form.NFC));
    }

    @Example
    void wordsInAngleBracketsAreWords() {
        assertThat(PlainText.clean("So sánh giá \u2039gạo thơm> và \u2039lúa> tại chợ: dưới <5 nghìn đồng"))
                .isEqualTo("So sánh giá \u2039gạo thơm> và \u2039lúa> tại chợ: dưới <5 nghìn đồng");
        assertThat(PlainText.clean("Tóm tắt <ST25> ngon")).isEqualTo("Tóm tắt <ST25> ngon");
    }

    /** Checks sanitized HTML as a browser would read it: parsed, not by string matching alone. */
    static void assertSafe(String clean) {
        assertThat(clean.toLowerCase(Locale.ROOT)).doesNotContain("<script");
        for (Element element : Jsoup.parseBodyFragment(clean).getAllElements()) {
            assertThat(DANGEROUS_TAGS).doesNotContain(element.normalName());
            for (Attribute attribute : element.attributes()) {
                String name = attribute.getKey().toLowerCase(Locale.ROOT);
                String value = attribute.getValue().replaceAll("[\\s\\x00-\\x1f]", "").toLowerCase(Locale.ROOT);
                assertThat(name).doesNotStartWith("on").isNotIn("style", "srcdoc", "formaction", "xlink:href");
                if (URL_ATTRIBUTES.contains(name)) {
                    assertThat(value).doesNotContain("javascript:", "data:", "vbscript:");
                }
            }
        }
    }

    @Provide
    Arbitrary<String> hostileHtml() {
        return hostileFragment().list().ofMinSize(1).ofMaxSize(8).map(parts -> String.join("", parts));
    }

    static Arbitrary<String> hostileFragment() {
        Arbitrary<String> tag = Arbitraries.of(List.of("script", "img", "a", "svg", "iframe", "object", "embed", "style",
                "math", "form", "input", "details", "video", "audio", "body", "meta", "link", "base", "p", "figure",
                "table", "td", "SCRIPT", "ScRiPt", "image", "isindex", "marquee", "template", "noscript"));
        Arbitrary<String> attribute = Arbitraries.of(List.of("onerror", "onload", "onclick", "OnMouseOver", "onfocus",
                "onanimationstart", "href", "src", "xlink:href", "formaction", "srcdoc", "style", "background",
                "action", "data", "poster", "alt", "title"));
        Arbitrary<String> value = Arbitraries.of(List.of("javascript:alert(1)", "JaVaScRiPt:alert(1)",
                "java\tscript:alert(1)", "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)",
                " javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "vbscript:msgbox(1)", "alert(1)", "x\" onmouseover=\"alert(1)", "https://anh.example.vn/a.jpg",
                "/duong-dan/tuong-doi", "expression(alert(1))", "url(javascript:alert(1))"));
        Arbitrary<String> text = Arbitraries.of(List.of("Tin tức", "<", ">", "\"", "'", "&", "<!--", "-->", "]]>",
                "<![CDATA[", "</", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\u0000", "\u202E"));
        Arbitrary<String> element = Combinators.combine(tag, attribute, value, text, Arbitraries.of("'", "\"", ""))
                .as((t, a, v, x, q) -> "<" + t + " " + a + "=" + q + v + q + ">" + x + "</" + t + ">");
        Arbitrary<String> unclosed = Combinators.combine(tag, attribute, value)
                .as((t, a, v) -> "<" + t + " " + a + "=" + v + " ");
        return Arbitraries.oneOf(element, unclosed, text);
    }
}

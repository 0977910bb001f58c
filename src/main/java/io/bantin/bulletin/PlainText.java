package io.bantin.bulletin;

import java.text.Normalizer;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;

/**
 * Cleans text on the way in: NFC (so a title typed on a Mac and one typed on Windows compare equal),
 * without the characters PostgreSQL or XML 1.0 refuse (NUL, other C0 controls, lone surrogates)
 * and without bidi overrides that can disguise what a reader sees.
 */
final class PlainText {

    private PlainText() {
    }

    private static final Pattern MARKUP = Pattern.compile("<[a-zA-Z/!?]");
    /** The whole run of '<': dropping only the last of "<</b>" would leave a new "</b>" behind. */
    private static final Pattern MARKUP_START = Pattern.compile("<+(?=[a-zA-Z/!?])");

    /**
     * Plain-text fields (titles, leads, names, captions) hold no markup: text that looks like HTML is
     * reduced to what a browser would show of it, so no consumer can be tricked into running it.
     */
    static String withoutMarkup(String text) {
        String cleaned = clean(text);
        if (!MARKUP.matcher(cleaned).find()) {
            return cleaned;
        }
        // What the parser leaves as text may still look like a tag ("</" before garbage): drop its '<'.
        return MARKUP_START.matcher(Jsoup.parseBodyFragment(cleaned).text()).replaceAll("");
    }

    static String clean(String text) {
        String nfc = Normalizer.isNormalized(text, Normalizer.Form.NFC)
                ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
        StringBuilder out = null;
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            boolean keep;
            if (Character.isHighSurrogate(c)) {
                keep = i + 1 < nfc.length() && Character.isLowSurrogate(nfc.charAt(i + 1));
                if (keep) {
                    if (out != null) {
                        out.append(c).append(nfc.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            }
            else {
                keep = !Character.isLowSurrogate(c) && allowed(c);
            }
            if (!keep && out == null) {
                out = new StringBuilder(nfc.length()).append(nfc, 0, i);
            }
            else if (keep && out != null) {
                out.append(c);
            }
        }
        return out == null ? nfc : out.toString();
    }

    private static boolean allowed(char c) {
        if (c < 0x20) {
            return c == '\t' || c == '\n' || c == '\r';
        }
        if (c == 0x7F || c == 0xFFFE || c == 0xFFFF) {
            return false;
        }
        boolean bidiControl = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
        return !bidiControl;
    }
}

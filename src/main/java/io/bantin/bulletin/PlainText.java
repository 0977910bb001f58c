package io.bantin.bulletin;

import java.text.Normalizer;

/**
 * Cleans text on the way in: NFC (so a title typed on a Mac and one typed on Windows compare equal),
 * without the characters PostgreSQL or XML 1.0 refuse (NUL, other C0 controls, lone surrogates)
 * and without bidi overrides that can disguise what a reader sees. Nothing else is taken out: plain
 * text such as {@code Tóm tắt <ST25> ngon} is stored as written and escaped wherever it is output
 * (JSON by Jackson, XML by the feed renderers, HTML by the templates).
 */
final class PlainText {

    private PlainText() {
    }

    /** The text in NFC, without the characters listed above; everything else is kept as written. */
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

package io.bantin.feed;

/** Removes what XML 1.0 cannot carry, so every feed parses whatever was stored. */
final class XmlText {

    private XmlText() {
    }

    /**
     * The text without characters outside XML 1.0's {@code Char} production
     * (https://www.w3.org/TR/xml/#charsets): C0 controls but tab, CR and LF; lone surrogates; U+FFFE and U+FFFF.
     */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            boolean legal = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!legal && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            else if (legal && out != null) {
                out.appendCodePoint(c);
            }
            i += width;
        }
        return out == null ? text : out.toString();
    }
}

package io.bantin.bulletin;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** URL slugs from Vietnamese text: diacritics folded, {@code đ} to {@code d}, ASCII words joined by hyphens. */
public final class Slugs {

    static final int MAX_LENGTH = 80;

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_WORD = Pattern.compile("[^a-z0-9]+");

    private Slugs() {
    }

    /** The slug of {@code text}; empty when the text holds no Latin letter or digit. */
    public static String of(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFD)
                .replace('đ', 'd').replace('Đ', 'D');
        folded = MARKS.matcher(folded).replaceAll("").toLowerCase(Locale.ROOT);
        String slug = trimHyphens(NON_WORD.matcher(folded).replaceAll("-"));
        if (slug.length() <= MAX_LENGTH) {
            return slug;
        }
        String cut = slug.substring(0, MAX_LENGTH);
        int lastBreak = cut.lastIndexOf('-');
        return trimHyphens(lastBreak > MAX_LENGTH / 2 ? cut.substring(0, lastBreak) : cut);
    }

    private static String trimHyphens(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }
}

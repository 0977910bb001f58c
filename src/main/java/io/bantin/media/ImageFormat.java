package io.bantin.media;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The image formats an upload may be, told from the bytes themselves (their signatures), never from a name or a
 * declared type alone; and whether the bytes end where the format says a file ends.
 */
enum ImageFormat {

    JPEG("image/jpeg"), PNG("image/png"), GIF("image/gif"), WEBP("image/webp");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] PNG_END = {'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};

    /**
     * Markup that makes a file something a browser or an interpreter may run as well as an image (a GIFAR, a JPEG
     * with a script in a comment): such a polyglot "only claims to be an image". Seven or more fixed bytes each:
     * compressed pixels match one by chance about once in 10^16 bytes.
     */
    private static final String[] MARKUP = {"<script", "<html", "<!doctype", "<svg", "<?php", "<iframe", "<body",
            "<object", "<embed", "javascript:"};

    private final String type;

    ImageFormat(String type) {
        this.type = type;
    }

    /** Its media type. */
    String type() {
        return type;
    }

    /** The format whose signature opens {@code bytes}; null when none does (HTML, SVG, anything else). */
    static ImageFormat sniff(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return JPEG;
        }
        if (startsWith(bytes, PNG_SIGNATURE, 0)) {
            return PNG;
        }
        if (startsWith(bytes, "GIF87a".getBytes(StandardCharsets.US_ASCII), 0)
                || startsWith(bytes, "GIF89a".getBytes(StandardCharsets.US_ASCII), 0)) {
            return GIF;
        }
        if (startsWith(bytes, "RIFF".getBytes(StandardCharsets.US_ASCII), 0)
                && startsWith(bytes, "WEBP".getBytes(StandardCharsets.US_ASCII), 8)) {
            return WEBP;
        }
        return null;
    }

    /** The format a declared media type names; null for any other (SVG, HTML, …). */
    static ImageFormat ofType(String mediaType) {
        String bare = mediaType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
        for (ImageFormat format : values()) {
            if (format.type.equals(bare) || (format == JPEG && bare.equals("image/jpg"))) {
                return format;
            }
        }
        return null;
    }

    /**
     * Whether the bytes end as a whole file of this format does (a JPEG's EOI, PNG's IEND chunk, GIF's trailer,
     * the length a WebP's RIFF header gives), so a truncated upload is refused instead of rendered half grey. A few
     * padding bytes after the end are tolerated (cameras write them); anything more is a file appended to another.
     */
    boolean complete(byte[] bytes) {
        int end = bytes.length;
        switch (this) {
            case JPEG -> {
                int limit = Math.max(2, end - 16);
                while (end > limit && ((bytes[end - 1] & 0xff) == 0x00 || (bytes[end - 1] & 0xff) == 0xff)
                        && !((bytes[end - 2] & 0xff) == 0xff && (bytes[end - 1] & 0xff) == 0xd9)) {
                    end--;
                }
                return end >= 4 && (bytes[end - 2] & 0xff) == 0xff && (bytes[end - 1] & 0xff) == 0xd9;
            }
            case PNG -> {
                return end >= PNG_SIGNATURE.length + PNG_END.length && startsWith(bytes, PNG_END, end - PNG_END.length);
            }
            case GIF -> {
                return end > 13 && bytes[end - 1] == 0x3b;
            }
            case WEBP -> {
                if (end < 12) {
                    return false;
                }
                long riff = (bytes[4] & 0xffL) | (bytes[5] & 0xffL) << 8 | (bytes[6] & 0xffL) << 16 | (bytes[7] & 0xffL) << 24;
                return riff + 8 == end || riff + 9 == end; // a chunk of odd length may be padded by one byte
            }
            default -> throw new IllegalStateException(name());
        }
    }

    /** Whether markup a browser would run hides in the bytes (see {@link #MARKUP}); one pass over them. */
    static boolean carriesMarkup(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != '<' && b != 'j' && b != 'J') {
                continue;
            }
            for (String marker : MARKUP) {
                if (matchesIgnoreCase(bytes, i, marker)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchesIgnoreCase(byte[] bytes, int at, String ascii) {
        if (at + ascii.length() > bytes.length) {
            return false;
        }
        for (int j = 0; j < ascii.length(); j++) {
            int b = bytes[at + j];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != ascii.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix, int at) {
        if (bytes.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

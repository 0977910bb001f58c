package io.bantin.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque position in a newest-first list: the (publishedAt, id) of the last item a client saw.
 * Clients only hand it back; its text form is versioned so it can change without breaking them.
 */
public record Cursor(Instant publishedAt, UUID id) {

    private static final String VERSION = "v1";
    /** Bulletins are dated between these (see BulletinDraftReader); a cursor outside them is not ours. */
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    public String encode() {
        long micros = publishedAt.getEpochSecond() * 1_000_000L + publishedAt.getNano() / 1_000;
        String raw = VERSION + ":" + micros + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads a cursor this server issued; anything else is a 400 problem. */
    public static Cursor decode(String text) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            String[] parts = raw.split(":", -1);
            if (parts.length != 3 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("unknown cursor version");
            }
            Instant at = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                throw new IllegalArgumentException("out of range");
            }
            UUID id = UUID.fromString(parts[2]);
            if (!id.toString().equals(parts[2])) {
                throw new IllegalArgumentException("non-canonical id");
            }
            return new Cursor(at, id);
        }
        catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw ProblemException.badRequest("The cursor is not one this server issued; start again without it.");
        }
    }
}

package io.bantin.answer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * One answer as the cache keeps it: its bytes plain and gzipped, and what its headers need.
 *
 * @param etag the entity tag every request for it gets
 * @param lastModified when its version came to be, to the second
 * @param scopes what it is made of (its version moves when a change touches one of them)
 * @param headers extra header names and values, in pairs (WebSub links, a page's security policy)
 * @param version the version of the scopes it was rendered at
 */
public record Rendered(byte[] identity, byte[] gzip, String contentType, String etag, Instant lastModified,
        List<String> scopes, String[] headers, String version) {

    /** Bytes held for it (identity and gzip). */
    long weight() {
        long extra = 0;
        for (String header : headers) {
            extra += 2L * header.length();
        }
        return identity.length + gzip.length + extra + 2L * etag.length() + 32L * scopes.size();
    }

    static byte[] gzip(byte[] identity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(identity.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(identity);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cache: unable to gzip in memory", e);
        }
        return out.toByteArray();
    }
}

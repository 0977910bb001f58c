package io.bantin.answer;

/**
 * What the front door answers a cacheable GET with, for any web layer to send as it is.
 *
 * @param headers names and values in pairs
 * @param body the bytes of a 200 (null for a 304)
 */
public record Answer(int status, String[] headers, byte[] body) {

    /**
     * What a request asks that changes the answer.
     *
     * @param ifNoneMatch every {@code If-None-Match} value
     * @param ifModifiedSince the {@code If-Modified-Since} value, or null
     * @param gzip whether {@code Accept-Encoding} admits gzip
     */
    public record Asked(java.util.List<String> ifNoneMatch, String ifModifiedSince, boolean gzip) {
    }
}

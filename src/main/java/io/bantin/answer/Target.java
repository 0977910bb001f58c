package io.bantin.answer;

import java.util.List;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import io.bantin.change.ScopeVersions;

/**
 * One cacheable read, canonicalised: its cache key (the path and every parameter that changes the bytes,
 * in one order), what it is made of and how to render it.
 *
 * @param key the canonical path and query; equal keys are equal answers
 * @param contentType the media type of the bytes
 * @param scopes what the answer is made of; a lookup only where the URL does not say (a bulletin by slug)
 * @param render the bytes at a version, once per version; may fail with a problem (404, 410)
 * @param headers extra header names and values, in pairs, on the 200 and the 304 alike
 */
public record Target(String key, String contentType, Mono<List<String>> scopes,
        Function<ScopeVersions.Version, Mono<Body>> render, String... headers) {

    /** A target whose scopes the URL names. */
    public static Target of(String key, String contentType, List<String> scopes,
            Function<ScopeVersions.Version, Mono<Body>> render, String... headers) {
        return new Target(key, contentType, Mono.just(scopes), render, headers);
    }

    /**
     * What a render made.
     *
     * @param etag the entity tag when the resource has its own (a bulletin's version); null derives one
     */
    public record Body(byte[] bytes, String etag) {

        public static Body of(byte[] bytes) {
            return new Body(bytes, null);
        }
    }
}

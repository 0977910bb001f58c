package io.bantin.web;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Conditional-request checks on entity tags (RFC 9110 section 13.1). */
public final class EntityTags {

    private EntityTags() {
    }

    /** True when {@code If-None-Match} names {@code etag} or {@code *}: the client's copy is current. */
    public static boolean notModified(ServerRequest request, String etag) {
        return notModified(request.headers().header(HttpHeaders.IF_NONE_MATCH), etag);
    }

    /** As above, from the {@code If-None-Match} header values however the web layer read them. */
    public static boolean notModified(List<String> values, String etag) {
        return values.stream().flatMap(value -> List.of(value.split(",")).stream()).map(String::trim)
                .anyMatch(tag -> tag.equals("*") || weakless(tag).equals(weakless(etag)));
    }

    private static String weakless(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}

package io.bantin.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.bantin.web.Digests;

/**
 * A Content-Security-Policy for the reader pages: only the page's own inline script (allowed by its
 * hash, computed from the template at start-up) may run, and nothing may be framed or posted, so a
 * script that ever slipped into a body still could not execute.
 */
@Component
class PageSecurityHeaders implements WebFilter {

    static final String HEADER = "Content-Security-Policy";

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

    private final String policy;

    PageSecurityHeaders(ResourceLoader resources) {
        String head = read(resources, "classpath:templates/head.mustache");
        Matcher script = INLINE_SCRIPT.matcher(head);
        String scriptSource = script.find() ? "'sha256-" + sha256(script.group(1)) + "'" : "'none'";
        this.policy = "default-src 'none'; script-src " + scriptSource + "; style-src 'unsafe-inline'; "
                + "img-src https: http: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /** The policy, for answers given ahead of this filter. */
    String policy() {
        return policy;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.equals("/") || path.startsWith("/bulletins/") || path.startsWith("/categories/")
                || path.startsWith("/tags/") || path.startsWith("/authors/")) {
            exchange.getResponse().getHeaders().set(HEADER, policy);
        }
        return chain.filter(exchange);
    }

    private static String read(ResourceLoader resources, String location) {
        try {
            return resources.getResource(location).getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("pages: unable to read " + location, e);
        }
    }

    private static String sha256(String text) {
        return Base64.getEncoder().encodeToString(Digests.sha256(text.getBytes(StandardCharsets.UTF_8)));
    }
}

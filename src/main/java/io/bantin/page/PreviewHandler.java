package io.bantin.page;

import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.bulletin.BulletinCatalog;
import io.bantin.bulletin.BulletinPreviews;
import io.bantin.web.JsonBodies;

/**
 * {@code POST /api/v1/previews}: the reader page a bulletin document would have if it were published now, made by
 * the very code that makes reader pages, with nothing stored (publisher token; the desk's "Xem trước").
 */
@Component
class PreviewHandler {

    private static final MediaType HTML = new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8);

    private final JsonBodies bodies;
    private final BulletinPreviews previews;
    private final BulletinCatalog catalog;
    private final PageHandler pages;

    PreviewHandler(JsonBodies bodies, BulletinPreviews previews, BulletinCatalog catalog, PageHandler pages) {
        this.bodies = bodies;
        this.previews = previews;
        this.catalog = catalog;
        this.pages = pages;
    }

    Mono<ServerResponse> preview(ServerRequest request) {
        return bodies.read(request).flatMap(body -> previews.of(body.tree()))
                .zipWith(catalog.sections().collectList())
                .flatMap(t -> ServerResponse.ok().contentType(HTML).cacheControl(CacheControl.noStore())
                        .header("X-Robots-Tag", "noindex")
                        // Opened on its own, outside the desk's sandboxed frame, it still runs nothing.
                        .header("Content-Security-Policy", "sandbox; default-src 'none'; img-src https: http: data:; "
                                + "style-src 'unsafe-inline'; frame-ancestors 'self'")
                        .bodyValue(pages.bulletinPage(t.getT1(), t.getT2())));
    }
}

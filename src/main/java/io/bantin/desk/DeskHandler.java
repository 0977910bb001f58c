package io.bantin.desk;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;

import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.system.BantinProperties;
import io.bantin.web.ProblemException;

/**
 * The desk's page and files. The page is one HTML document, the same for everyone (the token lives in the tab's
 * sessionStorage, never in a cookie, so no other site can act with it), under a policy that lets only the desk's
 * own files run and only Bantin's API be called.
 */
@Component
class DeskHandler {

    private final DeskAssets assets;
    private final byte[] page;
    private final String policy;

    DeskHandler(DeskAssets assets, BantinProperties properties) throws java.io.IOException {
        this.assets = assets;
        String html = new ClassPathResource("desk/desk.html").getContentAsString(StandardCharsets.UTF_8);
        for (var asset : assets.byName().entrySet()) {
            html = html.replace("{{" + asset.getKey() + ".integrity}}", asset.getValue().integrity())
                    .replace("{{" + asset.getKey() + "}}", asset.getValue().path());
        }
        ZoneOffset offset = properties.zone().getRules().getOffset(Instant.now());
        this.page = html.replace("{{zone}}", properties.zone().getId())
                .replace("{{offset}}", offset.getId().equals("Z") ? "+00:00" : offset.getId())
                .getBytes(StandardCharsets.UTF_8);
        // Photos come from this server or the publisher's own sites; the preview frame is a srcdoc of ours.
        this.policy = "default-src 'none'; script-src 'self'; style-src 'self' " + assets.readerStyleHash()
                + "; img-src 'self' https: http: data: blob:; connect-src 'self'; frame-src 'self'; "
                + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    Mono<ServerResponse> page(ServerRequest request) {
        return ServerResponse.ok().contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", policy)
                .header("X-Robots-Tag", "noindex")
                .header("Referrer-Policy", "no-referrer")
                .bodyValue(page);
    }

    Mono<ServerResponse> asset(ServerRequest request) {
        DeskAssets.Asset asset = assets.at(request.path());
        if (asset == null) {
            return Mono.error(ProblemException.notFound("No desk file is at " + request.path() + "."));
        }
        return ServerResponse.ok().contentType(MediaType.parseMediaType(asset.type()))
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(365)).cachePublic().immutable())
                .header(HttpHeaders.ETAG, "\"" + asset.path().split("/")[3] + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .bodyValue(asset.bytes());
    }
}

package io.bantin.bulletin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import io.bantin.media.MediaLibrary;
import io.bantin.system.BantinProperties;

/**
 * With {@code bantin.demo=true} (the default of {@code mvn spring-boot:run}), fills an empty database
 * with a few sample bulletins, so a newcomer's first look at the API, feeds or pages shows something.
 */
@Component
public class DemoContent implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoContent.class);

    private final boolean enabled;
    private final BulletinPublisher publisher;
    private final BulletinRepository bulletins;
    private final JsonMapper json;
    private final BantinProperties properties;
    private final MediaLibrary library;

    /** Where the sample photos are served, as the samples name them. */
    private static final String PHOTOS = "/demo/";
    private volatile boolean running;

    DemoContent(@Value("${bantin.demo:false}") boolean enabled, BulletinPublisher publisher, BulletinRepository bulletins,
            JsonMapper json, BantinProperties properties, MediaLibrary library) {
        this.enabled = enabled;
        this.publisher = publisher;
        this.bulletins = bulletins;
        this.json = json;
        this.properties = properties;
        this.library = library;
    }

    /**
     * Loads the samples before the port opens (this phase comes just before the web server's), so the
     * first request on a fresh database already sees them. Start-up runs on the main thread, before any
     * request: waiting here is the point.
     */
    @Override
    public void start() {
        running = true;
        if (enabled) {
            Long loaded = loadIfEmpty().block(Duration.ofMinutes(1));
            log.info("Demo content: {} sample bulletins loaded (bantin.demo=true)", loaded);
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    /** Publishes the samples when no bulletin exists yet; answers how many it published. */
    public Mono<Long> loadIfEmpty() {
        return bulletins.none()
                .flatMap(none -> !none ? Mono.just(0L) : samples()
                        .concatMap(draft -> publisher.create(draft, null, null, null))
                        .count());
    }

    private Flux<BulletinDraft> samples() {
        return Mono.fromCallable(() -> read("demo/bulletins.json")).subscribeOn(Schedulers.boundedElastic())
                .map(text -> json.readTree(text.replace("{publicUrl}", properties.publicUrl())))
                .flatMapIterable(JsonNode::values)
                .concatMap(sample -> withUploadedPhotos(sample).map(BulletinDraftReader::read));
    }

    /**
     * Uploads each sample photo the server serves under /demo/ to the media library, as a journalist would, and
     * names it by its id: the samples then show renditions, sizes and real enclosure lengths everywhere.
     */
    private Mono<JsonNode> withUploadedPhotos(JsonNode sample) {
        return Flux.fromIterable(sample.path("images")).cast(ObjectNode.class)
                .filter(image -> image.path("url").asString().startsWith(properties.url(PHOTOS)))
                .concatMap(image -> Mono.fromCallable(() -> photo(image.path("url").asString()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(bytes -> library.add(bytes, "image/jpeg", image.path("alt").asString(),
                                image.path("caption").asString()))
                        .doOnNext(photo -> {
                            // The body's figure shows the kept photo too, not the sample's source file.
                            ObjectNode bulletin = (ObjectNode) sample;
                            bulletin.put("body", bulletin.path("body").asString()
                                    .replace(image.path("url").asString(), photo.url()));
                            image.remove("url");
                            image.put("media", photo.id().toString());
                        }))
                .then(Mono.just(sample));
    }

    private byte[] photo(String url) throws IOException {
        return new ClassPathResource("static" + url.substring(properties.url("").length())).getContentAsByteArray();
    }

    private static String read(String path) {
        try {
            return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("demo: unable to read " + path, e);
        }
    }
}

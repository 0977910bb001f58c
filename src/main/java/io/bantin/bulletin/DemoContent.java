package io.bantin.bulletin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import io.bantin.system.BantinProperties;

/**
 * With {@code bantin.demo=true} (the default of {@code mvn spring-boot:run}), fills an empty database
 * with a few sample bulletins, so a newcomer's first look at the API, feeds or pages shows something.
 */
@Component
public class DemoContent {

    private static final Logger log = LoggerFactory.getLogger(DemoContent.class);

    private final boolean enabled;
    private final BulletinPublisher publisher;
    private final DatabaseClient db;
    private final JsonMapper json;
    private final BantinProperties properties;

    DemoContent(@Value("${bantin.demo:false}") boolean enabled, BulletinPublisher publisher, DatabaseClient db,
            JsonMapper json, BantinProperties properties) {
        this.enabled = enabled;
        this.publisher = publisher;
        this.db = db;
        this.json = json;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        if (enabled) {
            loadIfEmpty().subscribe(n -> log.info("Demo content: {} sample bulletins loaded (bantin.demo=true)", n),
                    e -> log.error("Demo content could not be loaded: {}", e.toString()));
        }
    }

    /** Publishes the samples when no bulletin exists yet; answers how many it published. */
    public Mono<Long> loadIfEmpty() {
        return db.sql("SELECT EXISTS (SELECT 1 FROM bulletins) AS any").map(row -> row.get("any", Boolean.class)).one()
                .flatMap(any -> any ? Mono.just(0L) : samples()
                        .concatMap(draft -> publisher.create(draft, null, null, null))
                        .count());
    }

    private Flux<BulletinDraft> samples() {
        return Mono.fromCallable(() -> read("demo/bulletins.json")).subscribeOn(Schedulers.boundedElastic())
                .map(text -> json.readTree(text.replace("{publicUrl}", properties.publicUrl())))
                .flatMapIterable(JsonNode::values)
                .map(BulletinDraftReader::read);
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

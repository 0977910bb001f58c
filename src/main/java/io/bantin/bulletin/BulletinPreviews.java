package io.bantin.bulletin;

import java.time.OffsetDateTime;
import java.util.UUID;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Service;

import io.bantin.answer.PublicUrls;
import io.bantin.system.BantinProperties;
import io.bantin.web.Uuids;

/**
 * A bulletin as it would be if it were published now, from the JSON a publisher would send: read, checked and
 * sanitized exactly as a create is, its uploaded photos resolved; nothing is stored. The desk previews it.
 */
@Service
public class BulletinPreviews {

    private final BulletinPublisher publisher;
    private final BantinProperties properties;

    BulletinPreviews(BulletinPublisher publisher, BantinProperties properties) {
        this.publisher = publisher;
        this.properties = properties;
    }

    /** The bulletin this document describes; a 422 problem, as for a create, when it is invalid. */
    public Mono<Bulletin> of(JsonNode document) {
        return Mono.fromSupplier(() -> BulletinDraftReader.read(document)).flatMap(publisher::withPhotos).map(draft -> {
            OffsetDateTime now = OffsetDateTime.now(properties.zone()).withNano(0);
            OffsetDateTime at = draft.publishedAt() == null ? now : draft.publishedAt();
            String slug = Slugs.of(draft.title()).isEmpty() ? "ban-tin" : Slugs.of(draft.title());
            UUID id = Uuids.v7();
            Status status = draft.draft() ? Status.draft : at.isAfter(now) ? Status.scheduled : Status.published;
            return new Bulletin(id, slug, draft.title(), draft.summary(), draft.body(), draft.author(), draft.category(),
                    draft.tags(), draft.images(), draft.language(), status, at, now, 1,
                    new Bulletin.Links(properties.url(PublicUrls.bulletin(id)), properties.url(PublicUrls.page(slug))));
        });
    }
}

package io.bantin.bulletin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.bantin.change.Change;
import io.bantin.change.ChangeBus;
import io.bantin.change.EventLog;
import io.bantin.media.Media;
import io.bantin.media.MediaLibrary;
import io.bantin.web.Problem;
import io.bantin.web.ProblemException;
import io.bantin.web.Uuids;

/**
 * Every bulletin write: the row, its category, tags and images, the idempotency key and the event,
 * all in one transaction, so a failure leaves nothing half-written and no change goes unannounced.
 * A write answers only once the change bus has delivered its change on this instance, so the writer's
 * next read (feeds, pages, JSON) already shows it.
 */
@Service
class BulletinPublisher {

    /** The outcome of a create; {@code replayed} when an idempotent retry returned the first result. */
    record Created(Bulletin bulletin, boolean replayed) {
    }

    /** A bulletin as written, and the event that announced it (null when there was none). */
    record Written(Bulletin bulletin, EventLog.Appended event) {
    }

    private final BulletinRepository bulletins;
    private final TaxonomyRepository taxonomy;
    private final IdempotencyKeys idempotencyKeys;
    private final EventLog events;
    private final JsonMapper json;
    private final TransactionalOperator tx;
    private final ChangeBus bus;
    private final MediaLibrary library;

    BulletinPublisher(BulletinRepository bulletins, TaxonomyRepository taxonomy, IdempotencyKeys idempotencyKeys,
            EventLog events, JsonMapper json, ReactiveTransactionManager transactions, ChangeBus bus,
            MediaLibrary library) {
        this.library = library;
        this.bulletins = bulletins;
        this.taxonomy = taxonomy;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
        this.json = json;
        this.tx = TransactionalOperator.create(transactions);
        this.bus = bus;
    }

    Mono<Created> create(BulletinDraft draft, UUID tokenId, String idempotencyKey, byte[] requestHash) {
        if (idempotencyKey == null) {
            return delivered(tx.transactional(insert(draft))).map(b -> new Created(b, false));
        }
        Mono<Outcome> claimed = insert(draft)
                .flatMap(w -> idempotencyKeys.complete(tokenId, idempotencyKey, w.bulletin().id())
                        .thenReturn(new Outcome(w, false)));
        return tx.transactional(idempotencyKeys.claim(tokenId, idempotencyKey, requestHash)
                        .flatMap(previous -> replay(previous, requestHash))
                        .switchIfEmpty(claimed))
                .flatMap(outcome -> delivered(Mono.just(outcome.written())).map(b -> new Created(b, outcome.replayed())));
    }

    /** A create's write, and whether it was an idempotent retry that returned the first result and wrote nothing. */
    private record Outcome(Written written, boolean replayed) {
    }

    private Mono<Outcome> replay(IdempotencyKeys.Previous previous, byte[] requestHash) {
        if (!previous.sameRequest(requestHash)) {
            return Mono.error(new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "This Idempotency-Key was already used for a different request."));
        }
        // A retry is answered with the bulletin's state now: once withdrawn, that is 410, never a fresh 201.
        return bulletins.findById(previous.bulletinId()).map(stored -> {
            if (stored.withdrawn()) {
                throw new ProblemException(HttpStatus.GONE, "The bulletin this Idempotency-Key created ("
                        + stored.bulletin().id() + ") was withdrawn since.")
                        .withHeader("Idempotent-Replayed", "true");
            }
            return new Outcome(new Written(stored.bulletin(), null), true);
        });
    }

    /**
     * The draft with each uploaded photo it names filled in from the library (its URL, size, renditions; its caption
     * and alt unless the bulletin gives its own); a 422 problem naming the field when a photo is not there.
     */
    Mono<BulletinDraft> withPhotos(BulletinDraft draft) {
        List<UUID> ids = draft.images().stream().map(Bulletin.Image::media).filter(Objects::nonNull).toList();
        if (ids.isEmpty()) {
            return Mono.just(draft);
        }
        return library.findAll(ids).map(found -> {
            List<Problem.FieldError> errors = new ArrayList<>();
            List<Bulletin.Image> images = new ArrayList<>();
            for (int i = 0; i < draft.images().size(); i++) {
                Bulletin.Image image = draft.images().get(i);
                Media photo = image.media() == null ? null : found.get(image.media());
                if (image.media() == null) {
                    images.add(image);
                }
                else if (photo == null) {
                    errors.add(new Problem.FieldError("images[" + i + "].media", "no uploaded photo has this id"));
                }
                else {
                    images.add(new Bulletin.Image(photo.url(), image.caption() != null ? image.caption() : photo.caption(),
                            photo.length(), photo.type(), photo.id(),
                            image.alt() != null && !image.alt().isBlank() ? image.alt() : photo.alt(),
                            photo.width(), photo.height(), photo.renditions()));
                }
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            return draft.withImages(List.copyOf(images));
        });
    }

    private Mono<Written> insert(BulletinDraft unresolved) {
        return withPhotos(unresolved).flatMap(this::insertResolved);
    }

    private Mono<Written> insertResolved(BulletinDraft draft) {
        UUID id = Uuids.v7();
        String base = Slugs.of(draft.title());
        // A new row has no tags or images to clear.
        return terms(draft).flatMap(terms -> bulletins.claimSlug(base.isEmpty() ? "ban-tin" : base)
                .flatMap(slug -> bulletins.insert(id, slug, draft, terms.categoryId()))
                .flatMap(status -> bulletins.addTags(id, terms.tagIds())
                        .then(bulletins.addImages(id, draft.images()))
                        .then(announce(id, null, status))));
    }

    Mono<Bulletin> replace(UUID id, BulletinDraft unresolved, Integer expectedVersion) {
        return delivered(tx.transactional(withPhotos(unresolved).flatMap(draft -> lockForWrite(id, expectedVersion)
                .flatMap(before -> terms(draft).flatMap(terms -> bulletins.update(id, draft, terms.categoryId())
                        .flatMap(status -> bulletins.replaceTags(id, terms.tagIds())
                                .then(bulletins.replaceImages(id, draft.images()))
                                // The stored status, not the shown one: an edit racing the scheduler still announces it once.
                                .then(announce(id, before.storedStatus(), before.bulletin(), status))))))));
    }

    Mono<Void> withdraw(UUID id, Integer expectedVersion) {
        return delivered(tx.transactional(lockForWrite(id, expectedVersion)
                .map(BulletinRows.Stored::bulletin)
                .flatMap(before -> bulletins.withdraw(id)
                        // Readers may have listed it once its time came, promoted or not: tell them it is gone.
                        .then(before.status() == Status.published
                                ? events.append(id, Change.Kind.deleted, new Change.Terms(null, List.of()), null,
                                        ChangeScopes.of(before, null), json.writeValueAsString(Map.of("id", id)))
                                : Mono.<EventLog.Appended>empty())
                        .map(event -> new Written(before, event))
                        .defaultIfEmpty(new Written(before, null))))).then();
    }

    /** Answers the written bulletin once this instance's change bus has delivered its change. */
    private Mono<Bulletin> delivered(Mono<Written> committed) {
        return committed.flatMap(w -> w.event() == null ? Mono.just(w.bulletin())
                : bus.awaitDelivered(w.event()).thenReturn(w.bulletin()));
    }

    /** Locks the row, checks it may be written, and answers the bulletin as it was (its old scopes change too). */
    private Mono<BulletinRows.Stored> lockForWrite(UUID id, Integer expectedVersion) {
        return bulletins.lock(id)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No bulletin has the id " + id + ".")))
                .flatMap(locked -> {
                    if (locked.withdrawn()) {
                        return Mono.error(new ProblemException(HttpStatus.GONE, "Bulletin " + id + " was withdrawn."));
                    }
                    int version = locked.bulletin().version();
                    if (expectedVersion != null && expectedVersion != version) {
                        return Mono.error(new ProblemException(HttpStatus.PRECONDITION_FAILED,
                                "Bulletin " + id + " is at version " + version + ", not " + expectedVersion
                                        + "; fetch it again and reapply your change."));
                    }
                    return Mono.just(locked);
                });
    }

    /**
     * Reads the bulletin back as written and logs what readers should hear: a stored status of
     * {@code published} means announced; scheduled ones are announced when their time comes.
     * {@code before} (null for a new bulletin) lets an edit reach the streams of a category or tag
     * the bulletin leaves, and the scopes it leaves.
     */
    Mono<Written> announce(UUID id, Bulletin before, Status statusAfter) {
        return announce(id, before == null ? null : before.status(), before, statusAfter);
    }

    /** As above, for a bulletin whose status before is known but not the rest (a scheduled one coming due). */
    Mono<Written> announce(UUID id, Status statusBefore, Bulletin before, Status statusAfter) {
        return bulletins.findById(id).map(BulletinRows.Stored::bulletin).flatMap(bulletin -> {
            boolean was = statusBefore == Status.published;
            boolean is = statusAfter == Status.published;
            Change.Kind kind = was && is ? Change.Kind.updated
                    : is ? Change.Kind.published
                    : was ? Change.Kind.deleted : null;
            if (kind == null) {
                return Mono.just(new Written(bulletin, null));
            }
            String payload = kind == Change.Kind.deleted
                    ? json.writeValueAsString(Map.of("id", id)) : json.writeValueAsString(bulletin);
            Bulletin shownBefore = was ? before : null;
            Bulletin shownAfter = is ? bulletin : null;
            return events.append(id, kind, terms(bulletin),
                            kind == Change.Kind.updated && before != null ? terms(before) : null,
                            ChangeScopes.of(shownBefore, shownAfter), payload)
                    .map(event -> new Written(bulletin, event));
        });
    }

    private static Change.Terms terms(Bulletin bulletin) {
        return new Change.Terms(bulletin.category() == null ? null : bulletin.category().slug(),
                bulletin.tags().stream().map(Bulletin.Term::slug).toList());
    }

    /** The ids of a draft's category (null when it has none) and tags, created on first use. */
    private record TermIds(Long categoryId, List<Long> tagIds) {
    }

    private Mono<TermIds> terms(BulletinDraft draft) {
        Mono<Optional<Long>> category = draft.category() == null ? Mono.just(Optional.empty())
                : taxonomy.categoryId(draft.category()).map(Optional::of);
        return category.flatMap(c -> taxonomy.tagIds(draft.tags()).map(tags -> new TermIds(c.orElse(null), tags)));
    }
}

package io.bantin.bulletin;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.bantin.stream.EventLog;
import io.bantin.web.ProblemException;
import io.bantin.websub.HubPinger;

/**
 * Every bulletin write: the row, its category, tags and images, the idempotency key and the event,
 * all in one transaction, so a failure leaves nothing half-written and no change goes unannounced.
 */
@Service
class BulletinPublisher {

    /** The outcome of a create; {@code replayed} when an idempotent retry returned the first result. */
    record Created(Bulletin bulletin, boolean replayed) {
    }

    /** A bulletin before and after a write, for the hub pings that follow its commit. */
    private record Change(Bulletin before, Bulletin after) {
    }

    private final BulletinRepository bulletins;
    private final TaxonomyRepository taxonomy;
    private final IdempotencyKeys idempotencyKeys;
    private final EventLog events;
    private final JsonMapper json;
    private final TransactionalOperator tx;
    private final HubPinger pings;

    BulletinPublisher(BulletinRepository bulletins, TaxonomyRepository taxonomy, IdempotencyKeys idempotencyKeys,
            EventLog events, JsonMapper json, ReactiveTransactionManager transactions, HubPinger pings) {
        this.bulletins = bulletins;
        this.taxonomy = taxonomy;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
        this.json = json;
        this.tx = TransactionalOperator.create(transactions);
        this.pings = pings;
    }

    Mono<Created> create(BulletinDraft draft, UUID tokenId, String idempotencyKey, byte[] requestHash) {
        // Pings follow the commit (the transactional Mono emits after it); a replayed retry changed nothing.
        return createInTransaction(draft, tokenId, idempotencyKey, requestHash)
                .doOnNext(created -> {
                    if (!created.replayed()) {
                        pings.changed(null, created.bulletin());
                    }
                });
    }

    private Mono<Created> createInTransaction(BulletinDraft draft, UUID tokenId, String idempotencyKey,
            byte[] requestHash) {
        if (idempotencyKey == null) {
            return tx.transactional(insert(draft)).map(b -> new Created(b, false));
        }
        Mono<Created> claimed = insert(draft)
                .flatMap(b -> idempotencyKeys.complete(tokenId, idempotencyKey, b.id()).thenReturn(new Created(b, false)));
        return tx.transactional(idempotencyKeys.claim(tokenId, idempotencyKey, requestHash)
                .flatMap(previous -> replay(previous, requestHash))
                .switchIfEmpty(claimed));
    }

    private Mono<Created> replay(IdempotencyKeys.Previous previous, byte[] requestHash) {
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
            return new Created(stored.bulletin(), true);
        });
    }

    private Mono<Bulletin> insert(BulletinDraft draft) {
        UUID id = Uuids.v7();
        String base = Slugs.of(draft.title());
        return terms(draft).flatMap(terms -> bulletins.claimSlug(base.isEmpty() ? "ban-tin" : base)
                .flatMap(slug -> bulletins.insert(id, slug, draft, terms.categoryId()))
                .flatMap(status -> bulletins.replaceTags(id, terms.tagIds())
                        .then(bulletins.replaceImages(id, draft.images()))
                        .then(announce(id, null, null, status))));
    }

    Mono<Bulletin> replace(UUID id, BulletinDraft draft, Integer expectedVersion) {
        return tx.transactional(lockForWrite(id, expectedVersion)
                .flatMap(before -> terms(draft).flatMap(terms -> bulletins.update(id, draft, terms.categoryId())
                        .flatMap(status -> bulletins.replaceTags(id, terms.tagIds())
                                .then(bulletins.replaceImages(id, draft.images()))
                                .then(announce(id, before.status(), terms(before.bulletin()), status))))
                        .map(after -> new Change(before.bulletin(), after))))
                .doOnNext(change -> pings.changed(change.before(), change.after()))
                .map(Change::after);
    }

    Mono<Void> withdraw(UUID id, Integer expectedVersion) {
        return tx.transactional(lockForWrite(id, expectedVersion)
                .flatMap(before -> bulletins.withdraw(id)
                        // Readers may have listed it once its time came, promoted or not: tell them it is gone.
                        .then(before.bulletin().status().equals("published")
                                ? events.append(id, EventLog.Kind.deleted, new EventLog.Terms(null, List.of()), null,
                                        json.writeValueAsString(Map.of("id", id))).then()
                                : Mono.empty())
                        .thenReturn(before.bulletin())))
                .doOnNext(before -> pings.changed(before, null))
                .then();
    }

    /**
     * A locked bulletin as it was, with its stored status: that (not the status shown to readers,
     * which turns {@code published} as soon as a scheduled time passes) says whether a
     * {@code published} event was written, so an edit racing the scheduler still announces it once.
     */
    private record Before(String status, Bulletin bulletin) {
    }

    /** Locks the row, checks it may be written, and answers the bulletin as it was (its old feeds need pings). */
    private Mono<Before> lockForWrite(UUID id, Integer expectedVersion) {
        return bulletins.lock(id)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No bulletin has the id " + id + ".")))
                .flatMap(locked -> {
                    if (locked.withdrawn()) {
                        return Mono.error(new ProblemException(HttpStatus.GONE, "Bulletin " + id + " was withdrawn."));
                    }
                    if (expectedVersion != null && expectedVersion != locked.version()) {
                        return Mono.error(new ProblemException(HttpStatus.PRECONDITION_FAILED,
                                "Bulletin " + id + " is at version " + locked.version() + ", not " + expectedVersion
                                        + "; fetch it again and reapply your change."));
                    }
                    return bulletins.findById(id).map(stored -> new Before(locked.status(), stored.bulletin()));
                });
    }

    /**
     * Reads the bulletin back as written and logs what readers should hear: a stored status of
     * {@code published} means announced; scheduled ones are announced when their time comes.
     * {@code termsBefore} (null for a new bulletin) lets an edit reach the streams of a category or tag
     * the bulletin leaves.
     */
    Mono<Bulletin> announce(UUID id, String statusBefore, EventLog.Terms termsBefore, String statusAfter) {
        return bulletins.findById(id).map(BulletinRows.Stored::bulletin).flatMap(bulletin -> {
            boolean was = "published".equals(statusBefore);
            boolean is = "published".equals(statusAfter);
            EventLog.Kind kind = was && is ? EventLog.Kind.updated
                    : is ? EventLog.Kind.published
                    : was ? EventLog.Kind.deleted : null;
            if (kind == null) {
                return Mono.just(bulletin);
            }
            String payload = kind == EventLog.Kind.deleted
                    ? json.writeValueAsString(Map.of("id", id)) : json.writeValueAsString(bulletin);
            return events.append(id, kind, terms(bulletin), kind == EventLog.Kind.updated ? termsBefore : null, payload)
                    .thenReturn(bulletin);
        });
    }

    private static EventLog.Terms terms(Bulletin bulletin) {
        return new EventLog.Terms(bulletin.category() == null ? null : bulletin.category().slug(),
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

package io.bantin.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.bantin.answer.PublicUrls;
import io.bantin.web.Digests;
import io.bantin.web.Problem;
import io.bantin.web.ProblemException;
import io.bantin.web.Uuids;

/**
 * The newsroom's photos: an upload checked for what it is, made into renditions on the media pool and kept with
 * them in one transaction (a refused or failed upload keeps nothing); and the photos bulletins name.
 */
@Service
public class MediaLibrary {

    static final int MAX_ALT = 1_000;
    static final int MAX_CAPTION = 1_000;
    static final int MAX_CREDIT = 200;

    /** The words that go with a photo. */
    record Words(String alt, String caption, String credit) {
    }

    /** An upload's body as received: the bytes, the media type it declared (null when none), and its words. */
    record Upload(byte[] bytes, String declaredType, Words words) {
    }

    /** The photo an upload keeps, and whether it is an idempotent retry's first result. */
    record Stored(Media media, boolean replayed) {
    }

    /** What an earlier upload with the same Idempotency-Key left. */
    record Previous(byte[] requestHash, UUID mediaId) {
    }

    /** A concurrent retry with the same key kept its photo first: this one's writes are rolled back. */
    private static final class LostClaim extends RuntimeException {
        LostClaim() {
            super(null, null, false, false);
        }
    }

    /** Uploads one token may have in progress at once. */
    static final int PER_TOKEN = 2;

    private final java.util.concurrent.ConcurrentHashMap<UUID, AtomicInteger> uploading =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final MediaRepository media;
    private final RenditionPool pool;
    private final TransactionalOperator tx;
    private final MediaFiles files;

    MediaLibrary(MediaRepository media, RenditionPool pool, ReactiveTransactionManager transactions, MediaFiles files) {
        this.media = media;
        this.pool = pool;
        this.tx = TransactionalOperator.create(transactions);
        this.files = files;
    }

    /**
     * Reads an upload's body holding a place on the media pool (503 when none is free, before a byte is read), then
     * keeps it; {@code idempotencyKey} may be null.
     */
    Mono<Stored> upload(Mono<Upload> body, UUID tokenId, String idempotencyKey) {
        return Mono.defer(() -> {
            // One token may not take every decoder place with slow uploads: a newsroom's browser sends one or two.
            AtomicInteger own = tokenId == null ? null : uploading.computeIfAbsent(tokenId, id -> new AtomicInteger());
            if (own != null && own.incrementAndGet() > PER_TOKEN) {
                release(tokenId, own);
                return Mono.error(new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "This token is already uploading "
                        + PER_TOKEN + " photos: send the next when one is done.").withHeader("Retry-After", "1"));
            }
            Mono<Stored> stored = pool.admit(body.flatMap(upload -> pool.run(() -> new Checked(check(upload),
                    format(upload), requestHash(upload))).flatMap(checked -> {
                Mono<Stored> fresh = pool.make(upload.bytes(), checked.format())
                        .flatMap(made -> keep(made, checked.words(), tokenId, idempotencyKey, checked.requestHash()));
                if (idempotencyKey == null) {
                    return fresh;
                }
                return media.previous(tokenId, idempotencyKey)
                        .flatMap(previous -> replay(previous, checked.requestHash()))
                        .switchIfEmpty(fresh)
                        .onErrorResume(LostClaim.class, lost -> media.previous(tokenId, idempotencyKey)
                                .flatMap(previous -> replay(previous, checked.requestHash())));
            })));
            return own == null ? stored : stored.doFinally(signal -> release(tokenId, own));
        });
    }

    /** What the checks of an upload found, made on the media pool: scanning 20 MiB is no work for an event loop. */
    private record Checked(Words words, ImageFormat format, byte[] requestHash) {
    }

    private void release(UUID tokenId, AtomicInteger own) {
        if (own.decrementAndGet() <= 0) {
            uploading.remove(tokenId, own);
        }
    }

    /** Keeps a photo the server itself holds (the demo's), through the same checks and pool as an upload. */
    public Mono<Media> add(byte[] bytes, String type, String alt, String caption) {
        return upload(Mono.just(new Upload(bytes, type, new Words(alt, caption, ""))), null, null).map(Stored::media);
    }

    /** A photo by id; empty when there is none. */
    public Mono<Media> find(UUID id) {
        return media.find(id);
    }

    /** The photos of these ids that exist, by id. */
    public Mono<Map<UUID, Media>> findAll(Collection<UUID> ids) {
        return ids.isEmpty() ? Mono.just(Map.of())
                : media.findAll(ids).collect(Collectors.toMap(Media::id, Function.identity()));
    }

    Mono<MediaRepository.Deletion> delete(UUID id) {
        return tx.transactional(media.delete(id)).doOnNext(deletion -> {
            if (deletion instanceof MediaRepository.Deletion.Deleted deleted) {
                files.forget(deleted.key());
            }
        });
    }

    private Mono<Stored> keep(List<RenditionMaker.File> made, Words words, UUID tokenId, String idempotencyKey,
            byte[] requestHash) {
        UUID id = Uuids.v7();
        Mono<Void> write = media.insert(id, key(made), words, tokenId, made);
        if (idempotencyKey != null) {
            write = write.then(media.claim(tokenId, idempotencyKey, requestHash, id)
                    .flatMap(claimed -> claimed ? Mono.<Void>empty() : Mono.error(new LostClaim())));
        }
        return tx.transactional(write.then(media.find(id))).map(m -> new Stored(m, false));
    }

    private Mono<Stored> replay(Previous previous, byte[] requestHash) {
        if (!Arrays.equals(previous.requestHash(), requestHash)) {
            return Mono.error(new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "This Idempotency-Key was already used for a different upload."));
        }
        return media.find(previous.mediaId()).map(m -> new Stored(m, true))
                .switchIfEmpty(Mono.error(() -> new ProblemException(HttpStatus.GONE, "The photo this Idempotency-Key "
                        + "uploaded (" + previous.mediaId() + ") was deleted since.").withHeader("Idempotent-Replayed", "true")));
    }

    /** The format the bytes are, once they are found to be a whole image of the type they declare, and nothing else. */
    static ImageFormat format(Upload upload) {
        byte[] bytes = upload.bytes();
        if (bytes.length == 0) {
            throw ProblemException.badRequest("The upload is empty: send the image itself as the body, or in a part "
                    + "named file.");
        }
        ImageFormat declared = null;
        String type = upload.declaredType();
        if (type != null && !type.startsWith("application/octet-stream")) {
            declared = ImageFormat.ofType(type);
            if (declared == null) {
                throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, type + " is not taken: upload a JPEG, "
                        + "PNG, WebP or GIF photo" + (type.contains("svg") ? " (SVG can carry scripts)." : "."));
            }
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) {
            throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "The file is not a JPEG, PNG, WebP or GIF image, whatever its type or name says.");
        }
        if (declared != null && declared != format) {
            throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "The upload says it is " + declared.type() + " but its bytes are " + format.type() + ".");
        }
        if (!format.complete(bytes)) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "The " + format.type()
                    + " file does not end as a whole one does: it was cut short, or has another file after it.");
        }
        if (ImageFormat.carriesMarkup(bytes)) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "The file carries HTML or script besides the image: such a file is refused.");
        }
        return format;
    }

    private static Words check(Upload upload) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Words words = upload.words();
        limit(errors, "alt", words.alt(), MAX_ALT);
        limit(errors, "caption", words.caption(), MAX_CAPTION);
        limit(errors, "credit", words.credit(), MAX_CREDIT);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Words(words.alt().strip(), words.caption().strip(), words.credit().strip());
    }

    private static void limit(List<Problem.FieldError> errors, String field, String value, int max) {
        if (value.codePointCount(0, value.length()) > max) {
            errors.add(new Problem.FieldError(field, "must be at most " + max + " characters"));
        }
    }

    /** The immutable part of the files' URLs: the first 128 bits of a SHA-256 over every rendition's bytes. */
    static String key(List<RenditionMaker.File> made) {
        ByteArrayOutputStream digests = new ByteArrayOutputStream();
        for (RenditionMaker.File file : made) {
            digests.writeBytes(Digests.sha256(file.bytes()));
        }
        return HexFormat.of().formatHex(Digests.sha256(digests.toByteArray()), 0, 16);
    }

    private static byte[] requestHash(Upload upload) {
        Words words = upload.words();
        byte[] text = String.join("\u0000", "", words.alt(), words.caption(), words.credit())
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(Digests.sha256(upload.bytes()));
        both.writeBytes(text);
        return Digests.sha256(both.toByteArray());
    }

    /** The path prefix of a photo's files, for evicting them. */
    static String filePrefix(String key) {
        return PublicUrls.MEDIA + key + "/";
    }
}

package io.bantin.media;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.bantin.answer.Answer;
import io.bantin.answer.DirectAnswers;
import io.bantin.answer.PublicUrls;
import io.bantin.web.ProblemException;

/**
 * The one front door of a photo's files ({@code /media/{key}/{width}.jpg}): the bytes from memory when kept there,
 * else from the database, with the headers of an immutable resource. Spring's handler and the direct route both
 * answer through it, so their answers are the same.
 */
@Component
class MediaFiles implements DirectAnswers {

    static final String CACHE_CONTROL = "public, max-age=31536000, immutable";

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** A file's path taken apart; null when it is none of ours. */
    record Path(String key, int width, String extension) {

        static Path parse(String path) {
            if (!path.startsWith(PublicUrls.MEDIA)) {
                return null;
            }
            String rest = path.substring(PublicUrls.MEDIA.length());
            int slash = rest.indexOf('/');
            int dot = rest.lastIndexOf('.');
            if (slash != 32 || dot < slash + 2 || dot - slash > 5) {
                return null;
            }
            String key = rest.substring(0, slash);
            String extension = rest.substring(dot + 1);
            if (!key.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
                    || !(extension.equals("jpg") || extension.equals("png"))) {
                return null;
            }
            int width = 0;
            for (int i = slash + 1; i < dot; i++) {
                char c = rest.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                width = width * 10 + (c - '0');
            }
            return width > 0 ? new Path(key, width, extension) : null;
        }
    }

    private final MediaRepository media;
    private final MediaCache cache;
    private final AtomicLong fromDatabase = new AtomicLong();

    /** How many deletes this instance has seen: a file read before one of them is not cached. */
    private final AtomicLong forgotten = new AtomicLong();

    MediaFiles(MediaRepository media, MediaProperties properties, MeterRegistry registry) {
        this.media = media;
        this.cache = new MediaCache(properties.cacheMaxBytes().toBytes());
        Gauge.builder("bantin.media.cache.bytes", cache, MediaCache::bytes).strongReference(true)
                .description("Bytes of photo files kept in memory (bantin.media.cache-max-bytes)").register(registry);
        FunctionCounter.builder("bantin.media.cache.hits", cache, MediaCache::hits)
                .description("Photo files answered from memory").register(registry);
        FunctionCounter.builder("bantin.media.cache.reads", fromDatabase, AtomicLong::get)
                .description("Photo files read from the database").register(registry);
    }

    @Override
    public boolean mayMatch(String uri) {
        return uri.startsWith(PublicUrls.MEDIA);
    }

    @Override
    public Answer now(String path, Answer.Asked asked, boolean head) {
        MediaCache.File file = Path.parse(path) == null ? null : cache.get(path);
        return file == null ? null : MediaCache.answer(file, asked, head);
    }

    /** The answer to a GET or HEAD of {@code path}, reading the file from the database when it is not in memory. */
    Mono<Answer> answer(String path, Answer.Asked asked, boolean head) {
        Path parsed = Path.parse(path);
        if (parsed == null) {
            return Mono.error(ProblemException.notFound("No photo file is at " + path + "."));
        }
        MediaCache.File kept = cache.get(path);
        if (kept != null) {
            return Mono.just(MediaCache.answer(kept, asked, head));
        }
        long generation = forgotten.get();
        return media.file(parsed.key(), parsed.width())
                .filter(stored -> MediaRepository.extension(stored.type()).equals(parsed.extension()))
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No photo file is at " + path + ".")))
                .map(stored -> {
                    fromDatabase.incrementAndGet();
                    MediaCache.File file = new MediaCache.File("\"" + parsed.key() + "-" + parsed.width() + "\"",
                            new String[] {"ETag", "\"" + parsed.key() + "-" + parsed.width() + "\"",
                                    "Cache-Control", CACHE_CONTROL,
                                    "Last-Modified", HTTP_DATE.format(stored.createdAt()),
                                    "Surrogate-Key", "media media:" + stored.mediaId(),
                                    // An image, never a document: nothing in it may run if opened directly.
                                    "Content-Security-Policy", "default-src 'none'; sandbox"},
                            stored.type(), stored.bytes(), new AtomicLong(System.nanoTime()));
                    // A read that began before a delete on this instance answers once but is not kept.
                    if (forgotten.get() == generation) {
                        cache.put(path, file);
                    }
                    return MediaCache.answer(file, asked, head);
                });
    }

    /** Forgets the files of a deleted photo on this instance. */
    void forget(String key) {
        forgotten.incrementAndGet();
        cache.removeStartingWith(MediaLibrary.filePrefix(key));
    }
}

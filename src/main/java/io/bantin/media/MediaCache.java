package io.bantin.media;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.bantin.answer.Answer;
import io.bantin.web.EntityTags;

/**
 * Rendition files kept in memory for serving, by path, bounded in bytes ({@code bantin.media.cache-max-bytes}):
 * past the budget the least recently used go first. A file never changes at its path, so an entry is never stale.
 */
final class MediaCache {

    /** What an entry costs besides its bytes (map node, key, header strings), roughly. */
    static final int ENTRY_OVERHEAD = 512;

    /** The ready answer parts of one file. */
    record File(String etag, String[] headers, String contentType, byte[] bytes, AtomicLong lastUsed) {

        long weight() {
            return bytes.length + ENTRY_OVERHEAD;
        }
    }

    private final Map<String, File> files = new ConcurrentHashMap<>();
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final Object evicting = new Object();

    MediaCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The file at {@code path}, or null; counts as a use. */
    File get(String path) {
        File file = files.get(path);
        if (file == null) {
            misses.incrementAndGet();
            return null;
        }
        hits.incrementAndGet();
        file.lastUsed().set(System.nanoTime());
        return file;
    }

    void put(String path, File file) {
        if (file.weight() > maxBytes / 4) {
            return; // one file never takes most of the budget
        }
        if (files.putIfAbsent(path, file) == null && bytes.addAndGet(file.weight()) > maxBytes) {
            evict();
        }
    }

    /** Forgets a deleted photo's files. */
    void removeStartingWith(String prefix) {
        files.entrySet().removeIf(e -> {
            boolean gone = e.getKey().startsWith(prefix);
            if (gone) {
                bytes.addAndGet(-e.getValue().weight());
            }
            return gone;
        });
    }

    long bytes() {
        return bytes.get();
    }

    long hits() {
        return hits.get();
    }

    long misses() {
        return misses.get();
    }

    private void evict() {
        synchronized (evicting) {
            if (bytes.get() <= maxBytes) {
                return;
            }
            List<Map.Entry<String, File>> oldestFirst = new ArrayList<>(files.entrySet());
            oldestFirst.sort(Comparator.comparingLong(e -> e.getValue().lastUsed().get()));
            long target = (long) (maxBytes * 0.9);
            for (Map.Entry<String, File> entry : oldestFirst) {
                if (bytes.get() <= target) {
                    break;
                }
                if (files.remove(entry.getKey(), entry.getValue())) {
                    bytes.addAndGet(-entry.getValue().weight());
                }
            }
        }
    }

    /** The answer to a GET of a kept file: 304 when the client holds it. */
    static Answer answer(File file, Answer.Asked asked, boolean head) {
        boolean unchanged = EntityTags.notModified(asked.ifNoneMatch(), file.etag())
                || (asked.ifNoneMatch().isEmpty() && asked.ifModifiedSince() != null);
        if (unchanged) {
            return new Answer(304, file.headers(), null);
        }
        String[] headers = new String[file.headers().length + 4];
        System.arraycopy(file.headers(), 0, headers, 0, file.headers().length);
        headers[headers.length - 4] = "Content-Type";
        headers[headers.length - 3] = file.contentType();
        headers[headers.length - 2] = "Content-Length";
        headers[headers.length - 1] = Integer.toString(file.bytes().length);
        return new Answer(200, headers, head ? null : file.bytes());
    }
}

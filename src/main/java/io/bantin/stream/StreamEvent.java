package io.bantin.stream;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.netty.buffer.ByteBuf;

import io.bantin.change.Change;

/**
 * One entry of the event log as streams send it: {@code payload} is the JSON text stored at write
 * time. Its wire forms are encoded once, on first use, and the same bytes go to every subscriber:
 * with thousands of streams open, encoding per connection was most of the cost of a delivery.
 */
final class StreamEvent {

    /** Not an event: marks the moment the stream's starting point is fixed, so the response may begin. */
    static final StreamEvent OPEN = new StreamEvent(-1, "open", null, null, null, null);
    /** The kind of a marker saying where a stream without a resume point starts: after its seq, then as {@link #OPEN}. */
    static final String OPEN_AT = "open-at";
    /** Not an event: the stream has been silent for a heartbeat's period. */
    static final StreamEvent HEARTBEAT = new StreamEvent(-1, "heartbeat", null, null, null, null);
    /** Not an event: this instance stops, the stream ends after this. */
    static final StreamEvent STOPPING = new StreamEvent(-1, "stopping", null, null, null, null);

    private final long seq;
    private final String kind;
    private final UUID bulletinId;
    private final Change.Terms terms;
    private final Change.Terms previous;
    private final String payload;
    private final boolean shared; // fanned out to every stream: its chunks are kept, see ChunkWriter#shared
    // Volatile so that an array encoded on one thread is seen whole on another; two threads racing to
    // encode the same event just make the same bytes twice.
    private volatile byte[] sse;
    private volatile byte[] ndjson;
    private volatile StreamEvent departure;
    private volatile ByteBuf sseChunk;
    private volatile ByteBuf ndjsonChunk;

    /**
     * @param terms the bulletin's category and tags with this event (null for {@code open} and {@code reset})
     * @param previous its terms before, for an edit; else null
     */
    StreamEvent(long seq, String kind, UUID bulletinId, Change.Terms terms, Change.Terms previous, String payload) {
        this(seq, kind, bulletinId, terms, previous, payload, false);
    }

    private StreamEvent(long seq, String kind, UUID bulletinId, Change.Terms terms, Change.Terms previous, String payload,
            boolean shared) {
        this.shared = shared;
        this.seq = seq;
        this.kind = kind;
        this.bulletinId = bulletinId;
        this.terms = terms;
        this.previous = previous;
        this.payload = payload;
    }

    /** A change as streams send it. */
    static StreamEvent of(Change change) {
        return new StreamEvent(change.seq(), change.kind().name(), change.bulletinId(), change.terms(), change.previous(),
                change.payload());
    }

    /** A change as the fan-out hands it to every stream: its chunks are made once, for all of them. */
    static StreamEvent live(Change change) {
        return new StreamEvent(change.seq(), change.kind().name(), change.bulletinId(), change.terms(), change.previous(),
                change.payload(), true);
    }

    /** A marker of the stream itself ({@code reset}), not about any bulletin. */
    static StreamEvent control(long seq, String kind, String payload) {
        return new StreamEvent(seq, kind, null, null, null, payload);
    }

    long seq() {
        return seq;
    }

    String kind() {
        return kind;
    }

    Change.Terms terms() {
        return terms;
    }

    Change.Terms previous() {
        return previous;
    }

    /**
     * This edit as a subscriber sees it whose category or tag the bulletin has just left: a deletion,
     * with the same id and the same {@code {"id":…}} data as a withdrawal. Made once, shared like the frames.
     */
    StreamEvent departure() {
        StreamEvent made = departure;
        if (made == null) {
            made = new StreamEvent(seq, Change.Kind.deleted.name(), bulletinId, terms, null,
                    "{\"id\":\"" + bulletinId + "\"}", shared);
            departure = made;
        }
        return made;
    }

    String payload() {
        return payload;
    }

    boolean isOpen() {
        return this == OPEN;
    }

    /**
     * The SSE frame, as Spring's SSE writer wrote it before: a line break inside the data starts a new
     * {@code data:} line (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream).
     */
    byte[] sse() {
        byte[] bytes = sse;
        if (bytes == null) {
            bytes = utf8("id:" + seq + "\nevent:" + kind + "\ndata:" + payload.replace("\n", "\ndata:") + "\n\n");
            sse = bytes;
        }
        return bytes;
    }

    /** The NDJSON line {@code {"id":…,"event":…,"data":…}}; kinds are plain lowercase words, the payload is JSON. */
    byte[] ndjson() {
        byte[] bytes = ndjson;
        if (bytes == null) {
            bytes = utf8("{\"id\":" + seq + ",\"event\":\"" + kind + "\",\"data\":" + payload + "}\n");
            ndjson = bytes;
        }
        return bytes;
    }

    /** {@link #sse()} as an HTTP chunk, for one write. */
    ByteBuf sseChunk() {
        if (!shared) {
            return ChunkWriter.once(sse());
        }
        ByteBuf chunk = sseChunk;
        if (chunk == null) {
            chunk = ChunkWriter.shared(sse());
            sseChunk = chunk;
        }
        return chunk.duplicate();
    }

    /** {@link #ndjson()} as an HTTP chunk, for one write. */
    ByteBuf ndjsonChunk() {
        if (!shared) {
            return ChunkWriter.once(ndjson());
        }
        ByteBuf chunk = ndjsonChunk;
        if (chunk == null) {
            chunk = ChunkWriter.shared(ndjson());
            ndjsonChunk = chunk;
        }
        return chunk.duplicate();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "StreamEvent[seq=" + seq + ", kind=" + kind + "]";
    }
}

package io.bantin.stream;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The bytes a stream sends for each event and marker, in SSE or NDJSON: events are encoded once and shared
 * by every stream ({@link StreamEvent#sse()}, {@link StreamEvent#ndjson()}), markers are constants.
 */
@Component
class StreamFrames {

    /** What Spring's SSE writer announced, kept so that clients see the same header as before. */
    static final MediaType SSE = new MediaType(MediaType.TEXT_EVENT_STREAM, StandardCharsets.UTF_8);
    private static final byte[] SSE_HEARTBEAT = StreamEvent.utf8(":heartbeat\n\n");
    private static final byte[] NDJSON_HEARTBEAT = StreamEvent.utf8("{\"event\":\"heartbeat\"}\n");

    private final Function<StreamEvent, byte[]> sse;
    private final Function<StreamEvent, byte[]> ndjson;
    private final Function<StreamEvent, ByteBuf> sseChunks;
    private final Function<StreamEvent, ByteBuf> ndjsonChunks;

    StreamFrames(StreamProperties properties) {
        // The opening comment flushes the headers and tells the client how soon to reconnect; the last one,
        // sent only when this instance stops, tells clients to come back soon.
        byte[] opening = StreamEvent.utf8("retry:" + properties.retry().toMillis() + "\n:bantin stream\n\n");
        byte[] stopping = StreamEvent.utf8("retry:" + properties.retry().toMillis() + "\n:bantin stopping\n\n");
        this.sse = event -> {
            if (event == StreamEvent.OPEN) {
                return opening;
            }
            if (event == StreamEvent.HEARTBEAT) {
                return SSE_HEARTBEAT;
            }
            return event == StreamEvent.STOPPING ? stopping : event.sse();
        };
        this.ndjson = event -> {
            if (event == StreamEvent.OPEN || event == StreamEvent.HEARTBEAT) {
                return NDJSON_HEARTBEAT; // a first heartbeat line flushes the headers
            }
            return event == StreamEvent.STOPPING ? null : event.ndjson();
        };
        ByteBuf[] sseMarkers = {ChunkWriter.shared(opening), ChunkWriter.shared(SSE_HEARTBEAT), ChunkWriter.shared(stopping)};
        ByteBuf ndjsonHeartbeat = ChunkWriter.shared(NDJSON_HEARTBEAT);
        this.sseChunks = event -> {
            ByteBuf marker = event == StreamEvent.OPEN ? sseMarkers[0] : event == StreamEvent.HEARTBEAT ? sseMarkers[1]
                    : event == StreamEvent.STOPPING ? sseMarkers[2] : null;
            return marker != null ? marker.duplicate() : event.sseChunk();
        };
        this.ndjsonChunks = event -> {
            if (event == StreamEvent.OPEN || event == StreamEvent.HEARTBEAT) {
                return ndjsonHeartbeat.duplicate();
            }
            return event == StreamEvent.STOPPING ? null : event.ndjsonChunk();
        };
    }

    Function<StreamEvent, byte[]> sse() {
        return sse;
    }

    Function<StreamEvent, byte[]> ndjson() {
        return ndjson;
    }

    /** {@link #sse()} as HTTP chunks, for {@link ChunkWriter}; null where the frame is. */
    Function<StreamEvent, ByteBuf> sseChunks() {
        return sseChunks;
    }

    /** {@link #ndjson()} as HTTP chunks, for {@link ChunkWriter}; null where the frame is. */
    Function<StreamEvent, ByteBuf> ndjsonChunks() {
        return ndjsonChunks;
    }
}

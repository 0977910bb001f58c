package io.bantin.stream;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

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
    }

    Function<StreamEvent, byte[]> sse() {
        return sse;
    }

    Function<StreamEvent, byte[]> ndjson() {
        return ndjson;
    }
}

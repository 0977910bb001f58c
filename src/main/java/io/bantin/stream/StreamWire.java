package io.bantin.stream;

import java.time.Duration;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

import io.bantin.change.Change;
import io.bantin.change.EventLog;

/**
 * What the stream sends, for a connection holder in front of the instances (GRIP mode, {@code io.bantin.grip}):
 * the request's wants, each change's frame as a stream with a given filter gets it, and the opening, heartbeat
 * and {@code reset} frames: the very bytes the direct stream writes, encoded by the same code.
 */
@Component
public class StreamWire {

    /** The two wire formats of the stream. */
    public enum Format {
        sse, ndjson
    }

    /**
     * What a stream request asks for (see {@link StreamRequest}): where to resume (null: start live), the category
     * and tag slugs followed (null: any).
     */
    public record Wanted(Long resumeAfter, String category, String tag) {
    }

    /** One change, encoded at most once per format and view, whatever the number of filters asking for it. */
    public static final class Framed {

        private final StreamEvent event;

        private Framed(StreamEvent event) {
            this.event = event;
        }

        public long seq() {
            return event.seq();
        }

        /** Its frame for a stream following {@code category} and {@code tag} (null: any), or null if not for it. */
        public byte[] frame(String category, String tag, Format format) {
            StreamEvent seen = new StreamRequest(null, category, tag).view(event);
            return seen == null ? null : format == Format.sse ? seen.sse() : seen.ndjson();
        }
    }

    private final StreamProperties properties;
    private final StreamFrames frames;

    StreamWire(StreamProperties properties, StreamFrames frames) {
        this.properties = properties;
        this.frames = frames;
    }

    /** Reads the request's resume point and filters, as the direct stream does (a 400 problem when invalid). */
    public Wanted wanted(ServerRequest request) {
        StreamRequest wanted = StreamRequest.of(request);
        return new Wanted(wanted.resumeAfter(), wanted.category(), wanted.tag());
    }

    public static Framed framed(Change change) {
        return new Framed(StreamEvent.of(change));
    }

    /** What opens a stream: the reconnection delay and a comment for SSE, a heartbeat line for NDJSON. */
    public byte[] opening(Format format) {
        return (format == Format.sse ? frames.sse() : frames.ndjson()).apply(StreamEvent.OPEN);
    }

    public byte[] heartbeat(Format format) {
        return (format == Format.sse ? frames.sse() : frames.ndjson()).apply(StreamEvent.HEARTBEAT);
    }

    /** The longest silence on a stream. */
    public Duration heartbeatInterval() {
        return properties.heartbeat();
    }

    /** True when a stream resuming after {@code after} has lost track of the log as {@code kept} now holds it. */
    public static boolean lost(long after, EventLog.Bounds kept) {
        return StreamSource.lost(after, kept);
    }

    /** The {@code reset} frame telling a client that lost track to reload and go on from {@code newest}. */
    public static byte[] reset(long newest, Format format) {
        StreamEvent reset = StreamSource.reset(newest);
        return format == Format.sse ? reset.sse() : reset.ndjson();
    }
}

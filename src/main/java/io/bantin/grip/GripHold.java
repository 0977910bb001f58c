package io.bantin.grip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;

import io.bantin.change.Change;
import io.bantin.change.EventLog;
import io.bantin.stream.StreamWire;
import io.bantin.stream.StreamWire.Format;
import io.bantin.stream.StreamHold;

/**
 * GRIP mode's answer to a stream request that came through Pushpin: the replay from the log (what the direct
 * stream would send before going live: the events after {@code Last-Event-ID}, or {@code reset}), then the
 * instructions to hold the stream on the request's channels, each with the id of the last item it carried
 * ({@code prev-id}), the heartbeat to send when quiet, and a next link Pushpin asks when an item does not
 * follow ({@code Grip-Last} then says what the client has). A replay too big for one answer ends at an event,
 * without a hold, and Pushpin asks the next link at once for the rest.
 */
@Component
@ConditionalOnBooleanProperty("bantin.stream.grip.enabled")
class GripHold implements StreamHold {

    /** On a next link: the stream's format (Pushpin asks it without the client's Accept); also marks a follow-up. */
    static final String NEXT = "grip";
    private static final MediaType SSE = new MediaType(MediaType.TEXT_EVENT_STREAM, StandardCharsets.UTF_8);
    private static final int PAGE = 500;

    private final GripProperties settings;
    private final StreamWire frames;
    private final EventLog eventLog;
    private final ChannelPositions positions;

    GripHold(GripProperties settings, StreamWire frames, EventLog eventLog, ChannelPositions positions) {
        this.settings = settings;
        this.frames = frames;
        this.eventLog = eventLog;
        this.positions = positions;
    }

    @Override
    public boolean accepts(ServerRequest request) {
        String signature = request.headers().firstHeader("Grip-Sig");
        return signature != null
                && (settings.key().isEmpty() || GripSignature.valid(signature, settings.key(), Instant.now()));
    }

    /** The replay's bytes and the last event it covers (all the log up to there was looked at). */
    private record Replay(byte[] body, long upTo, boolean complete) {
    }

    @Override
    public Mono<ServerResponse> hold(ServerRequest request, Format asked) {
        Optional<String> next = request.queryParam(NEXT);
        Format format = next.map(GripHold::format).orElse(asked);
        StreamWire.Wanted wanted = frames.wanted(request);
        // What the client has: on a next link, what the last answer covered (its lastEventId) or, if newer, the
        // last item Pushpin sent it since on any of its channels (Grip-Last).
        Long resume = next.isEmpty() ? wanted.resumeAfter()
                : gripLast(request).map(last -> wanted.resumeAfter() == null ? last : Math.max(last, wanted.resumeAfter()))
                        .orElse(wanted.resumeAfter());
        List<GripChannels.Filter> followed = GripChannels.followed(wanted);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (next.isEmpty()) {
            body.writeBytes(frames.opening(format));
        }
        return eventLog.bounds().flatMap(kept -> {
            if (resume == null) {
                return Mono.just(new Replay(body.toByteArray(), kept.newest(), true));
            }
            if (StreamWire.lost(resume, kept)) {
                body.writeBytes(StreamWire.reset(kept.newest(), format));
                return Mono.just(new Replay(body.toByteArray(), kept.newest(), true));
            }
            return replay(resume, kept.newest(), wanted, format, body);
        }).flatMap(replay -> positions.newest(followed, replay.upTo())
                .map(ids -> answer(replay, ids, followed, wanted, format)))
                .flatMap(answer -> answer);
    }

    /** The events after {@code after} up to {@code end} as this stream sees them, until the byte budget is spent. */
    private Mono<Replay> replay(long after, long end, StreamWire.Wanted wanted, Format format, ByteArrayOutputStream body) {
        return eventLog.between(after, end, PAGE).collectList().flatMap(page -> {
            long last = after;
            for (Change change : page) {
                byte[] frame = StreamWire.framed(change).frame(wanted.category(), wanted.tag(), format);
                if (frame != null) {
                    body.writeBytes(frame);
                }
                last = change.seq();
                if (body.size() >= settings.replayBytes().toBytes() && last < end) {
                    return Mono.just(new Replay(body.toByteArray(), last, false));
                }
            }
            return page.size() < PAGE ? Mono.just(new Replay(body.toByteArray(), end, true))
                    : replay(last, end, wanted, format, body);
        });
    }

    private Mono<ServerResponse> answer(Replay replay, Map<GripChannels.Filter, Long> ids,
            List<GripChannels.Filter> followed, StreamWire.Wanted wanted, Format format) {
        ServerResponse.BodyBuilder answer = ServerResponse.ok()
                .contentType(format == Format.sse ? SSE : MediaType.APPLICATION_NDJSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("Grip-Link", "<" + nextLink(wanted, format, replay.upTo()) + ">; rel=next; timeout="
                        + Math.max(1, settings.recoverAfter().toSeconds()));
        if (replay.complete()) {
            answer.header("Grip-Hold", "stream")
                    .header("Grip-Keep-Alive", Base64.getEncoder().encodeToString(frames.heartbeat(format))
                            + "; format=base64; timeout=" + Math.max(1, frames.heartbeatInterval().toSeconds()));
            for (GripChannels.Filter filter : followed) {
                answer.header("Grip-Channel", filter.channel(format) + "; prev-id=" + ids.getOrDefault(filter, 0L));
            }
        }
        return answer.bodyValue(replay.body());
    }

    private static String nextLink(StreamWire.Wanted wanted, Format format, long upTo) {
        UriComponentsBuilder link = UriComponentsBuilder.fromPath("/api/v1/stream");
        if (wanted.category() != null) {
            link.queryParam("category", wanted.category());
        }
        if (wanted.tag() != null) {
            link.queryParam("tag", wanted.tag());
        }
        return link.queryParam("lastEventId", upTo).queryParam(NEXT, format.name()).build().encode().toUriString();
    }

    /** The newest {@code last-id} of the {@code Grip-Last} headers ({@code <channel>; last-id=<seq>}), if any. */
    static Optional<Long> gripLast(ServerRequest request) {
        Long newest = null;
        for (String header : request.headers().header("Grip-Last")) {
            for (String value : header.split(",")) {
                for (String param : value.split(";")) {
                    String[] pair = param.strip().split("=", 2);
                    if (pair.length == 2 && pair[0].strip().equals("last-id")) {
                        try {
                            long seq = Long.parseLong(pair[1].strip());
                            newest = newest == null ? seq : Math.max(newest, seq);
                        }
                        catch (NumberFormatException e) {
                            // not one of our ids: ignored, the link's lastEventId stands
                        }
                    }
                }
            }
        }
        return Optional.ofNullable(newest);
    }

    private static Format format(String name) {
        return "ndjson".equals(name) ? Format.ndjson : Format.sse;
    }
}

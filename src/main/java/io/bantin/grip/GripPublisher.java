package io.bantin.grip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

import io.bantin.change.Change;
import io.bantin.change.ChangeBus;
import io.bantin.change.ChangeListener;
import io.bantin.change.EndpointFollowers;
import io.bantin.change.EventLog;
import io.bantin.change.LogPositions;
import io.bantin.stream.StreamWire;
import io.bantin.stream.StreamWire.Format;
import io.bantin.system.BackgroundJob;

/**
 * Publishes every committed change to each configured Pushpin node, on every GRIP channel that carries it, in
 * both formats, in order, from the event log: each node follows the log from a position of its own in PostgreSQL
 * ({@code log_positions}, "grip <url>"), so of N instances one publishes each change, a crash re-publishes (Pushpin
 * drops an item whose {@code prev-id} does not follow, and the stream recovers through its next link), and a node
 * that is down holds back no other. Each item names the previous item of its channel, read from the log.
 */
@Component
@ConditionalOnBooleanProperty("bantin.stream.grip.enabled")
public class GripPublisher extends BackgroundJob implements ChangeListener {

    private static final Logger log = LoggerFactory.getLogger(GripPublisher.class);
    /** Keeps each request well under Pushpin's publish body limit (push_in_http_max_body_size, 1 MB by default). */
    private static final int REQUEST_BYTES = 512 * 1024;

    private final GripProperties settings;
    private final PushpinClient client;
    private final ChannelPositions positions;
    private final JsonMapper json;
    private final EndpointFollowers followers;
    private final Counter items;
    private final Counter failed;

    GripPublisher(GripProperties settings, PushpinClient client, ChannelPositions positions, JsonMapper json,
            ChangeBus bus, EventLog eventLog, LogPositions logPositions, MeterRegistry registry) {
        this.settings = settings;
        this.client = client;
        this.positions = positions;
        this.json = json;
        this.followers = new EndpointFollowers("grip", settings.publishUrl(), bus, eventLog, logPositions, this::publish, underWay);
        this.items = Counter.builder("bantin.grip.items").tag("outcome", "sent")
                .description("GRIP items a Pushpin node took").register(registry);
        this.failed = Counter.builder("bantin.grip.items").tag("outcome", "failed")
                .description("GRIP items whose publish failed every try (published again later)").register(registry);
    }

    @Override
    public void changed(Change change) {
        followers.wake();
    }

    @Override
    public void following(long seq, Instant at) {
        followers.following();
    }

    @Override
    public int getOrder() {
        return STREAMS + 1;
    }

    /** Fails when a request failed every try: the position stays, and the whole batch is published again later. */
    private Mono<Void> publish(String endpoint, List<Change> changes) {
        Set<GripChannels.Filter> touched = new LinkedHashSet<>();
        changes.forEach(change -> touched.addAll(GripChannels.touched(change)));
        return positions.newest(touched, changes.get(0).seq() - 1)
                .flatMapMany(previous -> Flux.fromIterable(requests(items(changes, previous))))
                .concatMap(request -> client.publish(endpoint, request.body())
                        .doOnSuccess(ok -> items.increment(request.items()))
                        .doOnError(error -> {
                            failed.increment(request.items());
                            log.warn("grip: unable to publish to {} after up to {} tries: {}", endpoint,
                                    settings.attempts(), error.toString());
                        }))
                .then();
    }

    /** The items for {@code changes}, in order: each names its channel's previous item, starting from {@code previous}. */
    static List<Map<String, Object>> items(List<Change> changes, Map<GripChannels.Filter, Long> previous) {
        Map<GripChannels.Filter, Long> last = new HashMap<>(previous);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Change change : changes) {
            StreamWire.Framed framed = StreamWire.framed(change);
            for (GripChannels.Filter filter : GripChannels.touched(change)) {
                boolean carried = false;
                for (Format format : Format.values()) {
                    byte[] frame = filter.frame(framed, change, format);
                    if (frame == null) {
                        continue;
                    }
                    carried = true;
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("channel", filter.channel(format));
                    item.put("id", Long.toString(change.seq()));
                    item.put("prev-id", Long.toString(last.getOrDefault(filter, 0L)));
                    item.put("formats", Map.of("http-stream", Map.of("content", new String(frame, StandardCharsets.UTF_8))));
                    items.add(item);
                }
                if (carried) {
                    last.put(filter, change.seq());
                }
            }
        }
        return items;
    }

    private record Request(byte[] body, int items) {
    }

    /** The items as publish requests ({@code {"items":[…]}}), in order, each under {@link #REQUEST_BYTES}. */
    private List<Request> requests(List<Map<String, Object>> items) {
        List<Request> requests = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int count = 0;
        for (Map<String, Object> item : items) {
            byte[] encoded = json.writeValueAsBytes(item);
            if (count > 0 && body.size() + encoded.length + 2 > REQUEST_BYTES) {
                requests.add(close(body, count));
                body.reset();
                count = 0;
            }
            body.writeBytes(count == 0 ? "{\"items\":[".getBytes(StandardCharsets.US_ASCII) : new byte[] {','});
            body.writeBytes(encoded);
            count++;
        }
        if (count > 0) {
            requests.add(close(body, count));
        }
        return requests;
    }

    private static Request close(ByteArrayOutputStream body, int count) {
        body.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return new Request(body.toByteArray(), count);
    }

    @Override
    protected Disposable launch() {
        return followers.start();
    }
}

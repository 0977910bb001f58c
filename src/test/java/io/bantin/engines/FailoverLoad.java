package io.bantin.engines;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The load of the failover test: writers posting bulletins through the public door as real clients do, and
 * SSE clients that resume with {@code Last-Event-ID}, each recording what it saw and when, for the assertions.
 */
final class FailoverLoad {

    private static final long STARTED = System.nanoTime();

    private FailoverLoad() {
    }

    /** Milliseconds since the load class was loaded: the one clock of attempts and kills. */
    static long now() {
        return (System.nanoTime() - STARTED) / 1_000_000;
    }

    /** One HTTP attempt of a write: when it started and ended, its status (0 when none came) or its error. */
    record Attempt(String title, long startedAt, long endedAt, int status, String error) {

        boolean failed() {
            return status != 201;
        }

        boolean inFlightAt(long moment) {
            return startedAt <= moment && endedAt >= moment;
        }

        @Override
        public String toString() {
            return "%s [%d..%d ms] %s".formatted(title, startedAt, endedAt, error != null ? error : status);
        }
    }

    /**
     * Posts a bulletin every {@code every}. A keyed writer sends an {@code Idempotency-Key} and retries a failed
     * attempt with the same key until it is acknowledged, as a real client does; an unkeyed one never retries.
     */
    static final class Writer extends Thread {

        final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        /** Title of every acknowledged write → the id of its bulletin. */
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final List<String> titles = Collections.synchronizedList(new ArrayList<>());

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final URI door;
        private final String label;
        private final boolean keyed;
        private final Duration every;
        private volatile boolean writing = true;

        Writer(URI door, String label, boolean keyed, Duration every) {
            super("failover-writer-" + label);
            setDaemon(true);
            this.door = door;
            this.label = label;
            this.keyed = keyed;
            this.every = every;
        }

        @Override
        public void run() {
            for (int i = 1; writing; i++) {
                String title = label + " " + i;
                titles.add(title);
                String key = keyed ? UUID.randomUUID().toString() : null;
                // A keyed write is retried for up to about 20 s: past the failover, never forever.
                for (int attempt = 1; attempt <= (keyed ? 40 : 1); attempt++) {
                    if (post(title, key) || !keyed) {
                        break;
                    }
                    pause(Duration.ofMillis(500));
                }
                pause(every);
            }
        }

        /** One keyed write, retried as {@link #run()} does; true once acknowledged. */
        boolean writeOnce(String title) {
            String key = UUID.randomUUID().toString();
            for (int attempt = 1; attempt <= 40; attempt++) {
                if (post(title, key)) {
                    return true;
                }
                pause(Duration.ofMillis(500));
            }
            return false;
        }

        /** Stops after the write in progress (and its retries): every write started gets its answer. */
        void finish() throws InterruptedException {
            writing = false;
            join(Duration.ofSeconds(60).toMillis());
        }

        private boolean post(String title, String key) {
            HttpRequest.Builder request = HttpRequest.newBuilder(door.resolve("/api/v1/bulletins"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + Topology.TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"title": "%s", "summary": "Thử chuyển đổi dự phòng.", "author": "Ban biên tập", "category": "Dự phòng"}
                            """.formatted(title)));
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            long started = now();
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                attempts.add(new Attempt(title, started, now(), response.statusCode(),
                        response.statusCode() == 201 ? null : response.statusCode() + " " + response.body()));
                if (response.statusCode() == 201) {
                    acknowledged.put(title, JSON.readTree(response.body()).path("id").asString());
                    return true;
                }
                return false;
            }
            catch (Exception e) {
                attempts.add(new Attempt(title, started, now(), 0, e.getClass().getSimpleName() + ": " + e.getMessage()));
                return false;
            }
        }
    }

    private static final JsonMapper JSON = JsonMapper.shared();

    /**
     * An SSE client on {@code /api/v1/stream} that reconnects whenever its stream ends or fails (or is silent
     * for 25 s, past two heartbeats), resuming with {@code Last-Event-ID}; with several origins it moves to the
     * next one on every reconnection, as a client does when its instance is gone.
     */
    static final class Stream {

        final String name;
        final List<Long> ids = Collections.synchronizedList(new ArrayList<>());
        final Set<String> bulletins = ConcurrentHashMap.newKeySet();
        /** The origin of every connection that answered, in order. */
        final List<URI> served = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger resets = new AtomicInteger();
        /** Events that were not a whole published bulletin, as they arrived (none expected but one cut by a kill). */
        final List<String> odd = Collections.synchronizedList(new ArrayList<>());

        private final List<URI> origins;
        private final AtomicInteger connections = new AtomicInteger();
        private volatile String lastEventId;
        private Disposable running;

        Stream(String name, List<URI> origins) {
            this.name = name;
            this.origins = origins;
        }

        /** Resumes after {@code seq} from the first connection on, as an app that has just loaded its list does. */
        Stream after(String seq) {
            lastEventId = seq;
            return this;
        }

        Stream start(WebClient client) {
            running = Flux.defer(() -> connect(client))
                    .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(200)))
                    .repeatWhen(ended -> ended.delayElements(Duration.ofMillis(200)))
                    .subscribe();
            return this;
        }

        boolean connected() {
            return !served.isEmpty();
        }

        void stop() {
            running.dispose();
        }

        private Flux<ServerSentEvent<String>> connect(WebClient client) {
            URI origin = origins.get(connections.getAndIncrement() % origins.size());
            String resumeFrom = lastEventId;
            return client.get().uri(origin.resolve("/api/v1/stream"))
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .headers(h -> {
                        if (resumeFrom != null) {
                            h.set("Last-Event-ID", resumeFrom);
                        }
                    })
                    .exchangeToFlux(response -> {
                        if (!response.statusCode().is2xxSuccessful()) {
                            return response.releaseBody().thenMany(Flux.<ServerSentEvent<String>>error(
                                    new IllegalStateException(origin + " answered " + response.statusCode())));
                        }
                        served.add(origin);
                        return response.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { });
                    })
                    .timeout(Duration.ofSeconds(25))
                    .doOnNext(this::received);
        }

        private void received(ServerSentEvent<String> event) {
            if (event.id() == null) {
                return; // a heartbeat or the stopping notice
            }
            if ("reset".equals(event.event())) {
                resets.incrementAndGet();
            }
            String bulletin = null;
            try {
                bulletin = JSON.readTree(event.data()).path("id").asString(null);
            }
            catch (RuntimeException e) {
                // An event cut short by a dying connection is not an event (EventSource drops it too): resume before it.
                odd.add(event.id() + " cut short: " + event.data());
                throw new IllegalStateException("event " + event.id() + " cut short", e);
            }
            ids.add(Long.parseLong(event.id()));
            lastEventId = event.id();
            if ("published".equals(event.event()) && bulletin != null) {
                bulletins.add(bulletin);
            }
            else {
                odd.add(event.id() + " " + event.event() + " " + event.data());
            }
        }

        @Override
        public String toString() {
            return "%s: %d events (%s..%s), %d connections %s, other events %s".formatted(name, ids.size(),
                    ids.isEmpty() ? null : ids.get(0), lastEventId, served.size(), served, odd);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

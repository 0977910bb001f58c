package io.bantin.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The topology script brings up every engine, and a write through the public door is read back through it. */
class TopologyIT {

    private static Topology topology;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        topology = Topology.start(8700, "bantin_engines_topology");
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void aPublishThroughThePublicDoorIsReadBackThroughIt() throws Exception {
        String title = "Tin thử cửa chính " + UUID.randomUUID();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(topology.front().resolve("/api/v1/bulletins"))
                .header("Authorization", "Bearer " + Topology.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"title": "%s", "body": "<p>Nội dung</p>", "author": "Ban biên tập", "category": "Thử nghiệm"}
                        """.formatted(title)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        HttpResponse<String> feed = get(topology.front().resolve("/feeds/rss.xml"));
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(feed.body()).contains(title);
        assertThat(feed.headers().firstValue("X-Cache")).as("served by Varnish").isPresent();
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

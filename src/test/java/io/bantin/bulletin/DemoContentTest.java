package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.IntegrationTest;

@IntegrationTest
class DemoContentTest {

    @Autowired
    DemoContent demo;

    @Autowired
    WebTestClient client;

    @Test
    @SuppressWarnings("unchecked")
    void emptyDatabaseGetsSampleBulletinsOnceWithWorkingPhotos() {
        demo.loadIfEmpty().as(StepVerifier::create).expectNext(5L).expectComplete().verify(Duration.ofSeconds(20));
        demo.loadIfEmpty().as(StepVerifier::create).expectNext(0L).expectComplete().verify(Duration.ofSeconds(20));

        String found = client.get().uri("/api/v1/bulletins?q=ca phe").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat((String) JsonPath.read(found, "$.items[0].title"))
                .isEqualTo("Giá cà phê nhân xô tăng kỷ lục, nông dân phấn khởi");
        // The sample photo went through the media library: an id, renditions and its size in pixels and bytes.
        assertThat((String) JsonPath.read(found, "$.items[0].images[0].media")).isNotBlank();
        assertThat((Integer) JsonPath.read(found, "$.items[0].images[0].width")).isEqualTo(1200);
        assertThat((Integer) JsonPath.read(found, "$.items[0].images[0].height")).isEqualTo(630);
        assertThat((List<Integer>) JsonPath.read(found, "$.items[0].images[0].renditions[*].width"))
                .containsExactly(320, 640, 1024, 1200);
        String url = JsonPath.read(found, "$.items[0].images[0].url");
        Number length = JsonPath.read(found, "$.items[0].images[0].length");
        assertThat(url).startsWith("https://tin.example.vn/media/").endsWith("/1200.jpg");
        assertThat((String) JsonPath.read(found, "$.items[0].images[0].alt")).isEqualTo("Nông dân phơi cà phê trên sân");
        assertThat((String) JsonPath.read(found, "$.items[0].body")).contains("<img src=\"" + url + "\"")
                .doesNotContain("/demo/");
        byte[] photo = client.get().uri(url.substring("https://tin.example.vn".length())).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.IMAGE_JPEG)
                .expectBody(byte[].class).returnResult().getResponseBody();
        // A real JPEG (SOI marker) of the very length the feeds announce.
        assertThat(photo[0] & 0xff).isEqualTo(0xff);
        assertThat(photo[1] & 0xff).isEqualTo(0xd8);
        assertThat(photo.length).isEqualTo(length.intValue());
        String rss = client.get().uri("/feeds/rss.xml").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(rss).contains("<enclosure url=\"" + url + "\" length=\"" + photo.length + "\" type=\"image/jpeg\"");
        String page = client.get().uri("/bulletins/gia-ca-phe-nhan-xo-tang-ky-luc-nong-dan-phan-khoi").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("<meta property=\"og:image\" content=\"" + url + "\">",
                "<meta property=\"og:image:type\" content=\"image/jpeg\">",
                "<meta property=\"og:image:width\" content=\"1200\">",
                "<meta property=\"og:image:height\" content=\"630\">");
        client.get().uri("/api/v1/categories").exchange().expectBody()
                .jsonPath("$.length()").isEqualTo(5);
    }

    @Test
    void samplesAreLoadedBeforeThePortOpens() {
        // Lifecycle phases start in ascending order: the samples are in before the web server listens.
        assertThat(demo.getPhase()).isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
    }
}

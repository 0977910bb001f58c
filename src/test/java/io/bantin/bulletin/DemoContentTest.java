package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

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
    void emptyDatabaseGetsSampleBulletinsOnceWithWorkingPhotos() {
        demo.loadIfEmpty().as(StepVerifier::create).expectNext(5L).expectComplete().verify(Duration.ofSeconds(20));
        demo.loadIfEmpty().as(StepVerifier::create).expectNext(0L).expectComplete().verify(Duration.ofSeconds(20));

        client.get().uri("/api/v1/bulletins?q=ca phe").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].title").isEqualTo("Giá cà phê nhân xô tăng kỷ lục, nông dân phấn khởi")
                .jsonPath("$.items[0].images[0].url").isEqualTo("https://tin.example.vn/demo/ca-phe.jpg")
                .jsonPath("$.items[0].images[0].type").isEqualTo("image/jpeg");
        Number length = (Number) com.jayway.jsonpath.JsonPath.read(client.get().uri("/api/v1/bulletins?q=ca phe").exchange()
                .expectBody(String.class).returnResult().getResponseBody(), "$.items[0].images[0].length");
        byte[] photo = client.get().uri("/demo/ca-phe.jpg").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.IMAGE_JPEG)
                .expectBody(byte[].class).returnResult().getResponseBody();
        // A real JPEG (SOI marker) that chat apps render as og:image, of the very length the feeds announce.
        assertThat(photo[0] & 0xff).isEqualTo(0xff);
        assertThat(photo[1] & 0xff).isEqualTo(0xd8);
        assertThat(photo.length).isLessThan(60 * 1024).isEqualTo(length.intValue());
        String rss = client.get().uri("/feeds/rss.xml").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(rss).contains("<enclosure url=\"https://tin.example.vn/demo/ca-phe.jpg\" length=\"" + photo.length
                + "\" type=\"image/jpeg\"");
        String page = client.get().uri("/bulletins/gia-ca-phe-nhan-xo-tang-ky-luc-nong-dan-phan-khoi").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("<meta property=\"og:image\" content=\"https://tin.example.vn/demo/ca-phe.jpg\">",
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

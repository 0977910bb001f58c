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
                .jsonPath("$.items[0].images[0].url").isEqualTo("https://tin.example.vn/demo/ca-phe.svg");
        client.get().uri("/demo/ca-phe.svg").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.valueOf("image/svg+xml"))
                .expectBody(String.class).value(svg -> assertThat(svg).contains("Cà phê"));
        client.get().uri("/api/v1/categories").exchange().expectBody()
                .jsonPath("$.length()").isEqualTo(5);
    }

    @Test
    void samplesAreLoadedBeforeThePortOpens() {
        // Lifecycle phases start in ascending order: the samples are in before the web server listens.
        assertThat(demo.getPhase()).isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
    }
}

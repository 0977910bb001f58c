package io.bantin.websub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The hub setting: blank means off, anything but an absolute http(s) URL stops start-up with a clear message. */
class WebSubPropertiesTest {

    static WebSubProperties hub(String hub) {
        return new WebSubProperties(hub, 3, Duration.ofSeconds(1), Duration.ofSeconds(10), 4);
    }

    @Test
    void blankHubTurnsWebSubOff() {
        assertThat(hub("  ").enabled()).isFalse();
        assertThat(hub(null).linkHeader("https://tin.example.vn/feeds/rss.xml")).isNull();
    }

    @Test
    void linkHeaderNamesTheHubThenTheFeed() {
        assertThat(hub(" https://hub.example.net/ ").linkHeader("https://tin.example.vn/feeds/rss.xml"))
                .isEqualTo("<https://hub.example.net/>; rel=\"hub\", <https://tin.example.vn/feeds/rss.xml>; rel=\"self\"");
    }

    @Test
    void relativeOrNonHttpHubIsRefused() {
        assertThatThrownBy(() -> hub("/hub")).hasMessageContaining("bantin.websub.hub");
        assertThatThrownBy(() -> hub("ftp://hub.example.net/")).hasMessageContaining("absolute http(s) URL");
    }

    @Test
    void retryableFailuresAreTheOnesThatMayPass() {
        assertThat(HubClient.mayPass(new java.util.concurrent.TimeoutException())).isTrue();
        assertThat(HubClient.mayPass(org.springframework.web.reactive.function.client.WebClientResponseException
                .create(429, "Too Many Requests", null, null, null))).isTrue();
        assertThat(HubClient.mayPass(org.springframework.web.reactive.function.client.WebClientResponseException
                .create(503, "Service Unavailable", null, null, null))).isTrue();
        assertThat(HubClient.mayPass(org.springframework.web.reactive.function.client.WebClientResponseException
                .create(404, "Not Found", null, null, null))).isFalse();
    }
}

package io.bantin.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** Without {@code bantin.websub.hub} (the default) no feed mentions a hub, in its document or its headers. */
@IntegrationTest
class WebSubOffTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    WebSubProperties settings;

    @Test
    void feedsAdvertiseNoHub() {
        assertThat(settings.enabled()).isFalse();
        client = client.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build();
        Api.create(client, Api.issueToken(client, "publisher"), json.writeValueAsString(Map.of("title", "Tin thời sự trong ngày",
                "category", "Thời sự", "tags", List.of("Trong ngày"))));
        for (String path : List.of("/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json",
                "/feeds/categories/thoi-su/rss.xml", "/feeds/tags/trong-ngay/atom.xml")) {
            var result = client.get().uri(path).exchange().expectStatus().isOk()
                    .expectHeader().doesNotExist(HttpHeaders.LINK)
                    .expectBody(String.class).returnResult();
            assertThat(result.getResponseBody()).as(path).doesNotContain("hub").doesNotContain("WebSub");
            // The document still names itself: only the hub is missing.
            assertThat(result.getResponseBody()).as(path).contains("https://tin.example.vn" + path);
        }
        assertThat(WebSubTest.atomLinks(dom(client, "/feeds/atom.xml"))).containsKey("self").doesNotContainKey("hub");
    }

    private static org.w3c.dom.Document dom(WebTestClient client, String path) {
        byte[] body = client.get().uri(path).exchange().expectBody(byte[].class).returnResult().getResponseBody();
        try {
            var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(body));
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

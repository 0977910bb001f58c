package io.bantin.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

/**
 * {@code /} on an empty database (demo content off, as the packaged jar starts) tells the operator what to do
 * next instead of showing an empty list, and gives way to the list as soon as the first bulletin is published.
 */
@IntegrationTest
class FirstRunPageTest {

    @Autowired
    WebTestClient client;

    private Document home() {
        String html = client.get().uri("/").accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk()
                .expectHeader().contentType("text/html;charset=utf-8")
                .expectBody(String.class).returnResult().getResponseBody();
        return Jsoup.parse(html);
    }

    @Test
    void anEmptySiteSaysHowToPublishWhereTheApiDocsAreAndWhereTheDeskIsUntilTheFirstBulletin() {
        Document page = home();
        assertThat(page.select("h1").text()).isEqualTo("Tin mới nhất");
        assertThat(page.select("section.first-run h2").text()).isEqualTo("Chưa có bản tin nào: bắt đầu từ đây");
        // A curl command that publishes, against this server's public address, with the admin token's variable.
        String curl = page.select("section.first-run pre code").text();
        assertThat(curl).startsWith("curl -X POST https://tin.example.vn/api/v1/bulletins")
                .contains("Authorization: Bearer $BANTIN_ADMIN_TOKEN", "Content-Type: application/json", "\"title\":");
        assertThat(page.select("section.first-run a").eachAttr("href"))
                .containsExactly("/swagger-ui.html", "/v3/api-docs", "/desk");
        assertThat(page.text()).contains("src/docs/API.md");
        assertThat(page.select("ul.teasers, .top")).as("no empty list").isEmpty();

        // The command as written works: the same document, posted, replaces this page with the list.
        String body = curl.substring(curl.indexOf("-d '") + 4, curl.lastIndexOf('\''));
        Api.create(client, Api.ADMIN_TOKEN, body);
        Eventually.eventually(Duration.ofSeconds(6), this::home, home -> !home.select(".top").isEmpty());
        Document after = home();
        assertThat(after.select("section.first-run")).isEmpty();
        assertThat(after.select(".top h2").text()).isEqualTo("Bản tin đầu tiên");
    }
}

package io.bantin.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.BantinApplication;
import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/**
 * A scope's version is the same on every instance, however long each has run: an instance started after other
 * writes gives an untouched category the version the first one gives it, and a client or CDN switching
 * instances gets a 304 where one is due.
 */
@IntegrationTest
@DirtiesContext
class VersionsAcrossInstancesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    WebTestClient first;

    @Autowired
    JsonMapper json;

    @Autowired
    ScopeVersions firstVersions;

    ConfigurableApplicationContext secondInstance;

    @AfterAll
    void stop() {
        if (secondInstance != null) {
            secondInstance.close();
        }
    }

    private String create(String publisher, String title, String category) {
        return json.readTree(Api.create(first, publisher, json.writeValueAsString(Map.of("title", title,
                "summary", "Tin vắn.", "category", category, "author", "Ban biên tập")))).get("id").stringValue();
    }

    private static String etag(WebTestClient client, String path) {
        return client.get().uri(path).exchange().expectStatus().isOk().returnResult(String.class)
                .getResponseHeaders().getETag();
    }

    @Test
    void anInstanceStartedLaterGivesAnUntouchedCategoryAndBulletinTheSameVersionAndValidators() {
        first = first.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        String publisher = Api.issueToken(first, "publisher");
        String id = create(publisher, "Tin cũ không đổi", "Không đổi");
        Set<String> untouched = Set.of(Scopes.category("khong-doi"), Scopes.bulletin(java.util.UUID.fromString(id)));
        ScopeVersions.Version before = firstVersions.current(untouched).block(WAIT);
        create(publisher, "Tin mới ở chỗ khác", "Chỗ khác"); // the log's end moves on before the second starts

        secondInstance = new SpringApplicationBuilder(BantinApplication.class).profiles("test").run("--server.port=0");
        WebTestClient second = first.mutate()
                .baseUrl("http://127.0.0.1:" + ((WebServerApplicationContext) secondInstance).getWebServer().getPort())
                .build();
        ScopeVersions secondVersions = secondInstance.getBean(ScopeVersions.class);

        assertThat(secondVersions.current(untouched).block(WAIT)).isEqualTo(before)
                .isEqualTo(firstVersions.current(untouched).block(WAIT));
        for (String path : new String[] {"/feeds/categories/khong-doi/rss.xml", "/api/v1/bulletins/" + id}) {
            String etag = etag(first, path);
            assertThat(etag(second, path)).as(path).isEqualTo(etag);
            second.get().uri(path).header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isNotModified();
        }
    }
}

package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.IntegrationTest;

@IntegrationTest
class ExportTest {

    private static final int ROWS = 2 * BulletinRepository.EXPORT_CHUNK + 234;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    @BeforeAll
    void seed() {
        // Seven bulletins share each publication time, so chunk boundaries fall inside ties.
        db.sql("""
                INSERT INTO bulletins (id, slug, title, status, published_at, updated_at)
                SELECT gen_random_uuid(), 'tin-xuat-' || g, 'Tin xuất khẩu số ' || g, 'published',
                       timestamptz '2020-01-01 00:00+07' + (g / 7) * interval '1 hour', now()
                FROM generate_series(1, :rows) g""").bind("rows", ROWS).then().block();
    }

    @Test
    void ndjsonExportCrossesChunksWithoutGapRepeatOrDisorder() {
        List<JsonNode> lines = export("/api/v1/bulletins");
        assertThat(lines).hasSize(ROWS);
        assertThat(lines.stream().map(b -> b.get("id").stringValue())).doesNotHaveDuplicates();
        for (int i = 1; i < lines.size(); i++) {
            OffsetDateTime newer = OffsetDateTime.parse(lines.get(i - 1).get("publishedAt").stringValue());
            OffsetDateTime older = OffsetDateTime.parse(lines.get(i).get("publishedAt").stringValue());
            assertThat(older).isBeforeOrEqualTo(newer);
        }
    }

    @Test
    void ndjsonExportHonoursAnExplicitLimitAndFilters() {
        assertThat(export("/api/v1/bulletins?limit=" + (BulletinRepository.EXPORT_CHUNK + 1))).hasSize(
                BulletinRepository.EXPORT_CHUNK + 1);
        assertThat(export("/api/v1/bulletins?until=2020-01-01T01:00:00+07:00")).hasSize(13); // g = 1..13
    }

    private List<JsonNode> export(String uri) {
        return client.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 << 20)).build()
                .get().uri(uri).accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .expectBody(String.class).returnResult().getResponseBody()
                .lines().map(json::readTree).toList();
    }
}

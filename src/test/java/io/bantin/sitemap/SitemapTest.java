package io.bantin.sitemap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;
import io.bantin.web.Cursor;

/**
 * robots.txt and the sitemaps, each validated against the sitemaps.org and Google News schemas
 * (copies under src/test/resources/xsd) and checked to hold every visible bulletin and nothing hidden.
 */
@IntegrationTest
class SitemapTest {

    static final String BASE = "https://tin.example.vn";

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    SitemapRepository repository;

    List<String> visible = new ArrayList<>();
    List<String> recent = new ArrayList<>();
    List<String> hidden = new ArrayList<>();

    @BeforeAll
    void setUp() {
        client = io.bantin.feed.Feeds.patient(client);
        String publisher = Api.issueToken(client, "publisher");
        for (int i = 1; i <= 3; i++) {
            String slug = create(publisher, Map.of("title", "Tin nóng hôm nay số " + i + " & “mới”", "category", "Thời sự"));
            visible.add(slug);
            recent.add(slug);
        }
        for (int i = 1; i <= 2; i++) {
            visible.add(create(publisher, Map.of("title", "Tin cũ năm 2024 số " + i, "category", "Lưu trữ",
                    "publishedAt", "2024-0" + i + "-01T08:00:00+07:00")));
        }
        hidden.add(create(publisher, Map.of("title", "Tin hẹn giờ", "category", "Hẹn giờ", "publishedAt", "2099-01-01T00:00:00+07:00")));
        hidden.add(create(publisher, Map.of("title", "Tin nháp", "category", "Nháp", "status", "draft")));
        String doomed = json.readTree(Api.create(client, publisher, json.writeValueAsString(
                Map.of("title", "Tin bị gỡ", "category", "Gỡ")))).get("id").stringValue();
        client.delete().uri("/api/v1/bulletins/{id}", doomed).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNoContent();
        hidden.add("tin-bi-go");
        io.bantin.support.Eventually.eventually(java.time.Duration.ofSeconds(6),
                () -> new String(get("/sitemaps/news.xml")), xml -> xml.contains(recent.get(2)) && !xml.contains("tin-bi-go"));
    }

    private String create(String token, Map<String, Object> bulletin) {
        return json.readTree(Api.create(client, token, json.writeValueAsString(bulletin))).get("slug").stringValue();
    }

    private byte[] get(String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk()
                .expectHeader().exists(HttpHeaders.ETAG)
                .expectBody(byte[].class).returnResult().getResponseBody();
    }

    @Test
    void robotsNamesTheSitemapIndex() {
        String robots = client.get().uri("/robots.txt").exchange().expectStatus().isOk()
                .expectHeader().contentType("text/plain;charset=utf-8")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(robots).contains("User-agent: *").contains("Sitemap: " + BASE + "/sitemap.xml\n");
    }

    @Test
    void theIndexAndEverySitemapItNamesAreValidAndHoldEveryVisibleBulletinOnly() throws Exception {
        byte[] index = get("/sitemap.xml");
        validate(index, "siteindex.xsd");
        List<String> sitemaps = locs(index);
        assertThat(sitemaps).contains(BASE + "/sitemaps/categories.xml", BASE + "/sitemaps/bulletins.xml",
                BASE + "/sitemaps/news.xml");
        List<String> pages = new ArrayList<>();
        for (String sitemap : sitemaps) {
            byte[] xml = get(sitemap.substring(BASE.length()).replace("&amp;", "&"));
            if (sitemap.endsWith("news.xml")) {
                validate(xml, "sitemap.xsd", "sitemap-news.xsd");
            }
            else {
                validate(xml, "sitemap.xsd");
            }
            pages.addAll(locs(xml));
        }
        for (String slug : visible) {
            assertThat(pages).contains(BASE + "/bulletins/" + slug);
        }
        for (String slug : hidden) {
            assertThat(pages).noneMatch(loc -> loc.endsWith("/" + slug));
        }
        assertThat(pages).contains(BASE + "/", BASE + "/categories/thoi-su", BASE + "/categories/luu-tru")
                .doesNotContain(BASE + "/categories/hen-gio", BASE + "/categories/nhap", BASE + "/categories/go");
    }

    @Test
    void newsSitemapHoldsOnlyTheLastTwoDaysWithPublicationDateAndTitle() throws Exception {
        byte[] xml = get("/sitemaps/news.xml");
        validate(xml, "sitemap.xsd", "sitemap-news.xsd");
        assertThat(locs(xml)).containsExactlyInAnyOrderElementsOf(recent.stream().map(s -> BASE + "/bulletins/" + s).toList());
        Document dom = dom(xml);
        String news = "http://www.google.com/schemas/sitemap-news/0.9";
        NodeList items = dom.getElementsByTagNameNS(news, "news");
        assertThat(items.getLength()).isEqualTo(3);
        Element first = (Element) items.item(0);
        assertThat(first.getElementsByTagNameNS(news, "name").item(0).getTextContent()).isEqualTo("Bantin");
        assertThat(first.getElementsByTagNameNS(news, "language").item(0).getTextContent()).isEqualTo("vi");
        assertThat(first.getElementsByTagNameNS(news, "title").item(0).getTextContent()).startsWith("Tin nóng hôm nay số")
                .endsWith(" & “mới”");
        OffsetDateTime published = OffsetDateTime.parse(first.getElementsByTagNameNS(news, "publication_date").item(0)
                .getTextContent());
        assertThat(published).isAfter(OffsetDateTime.now().minusDays(2));
        assertThat(published.getOffset().getTotalSeconds()).isEqualTo(7 * 3600);
    }

    @Test
    void bulletinSitemapsPageByKeysetOldestFirstThroughEveryVisibleBulletin() {
        List<SitemapRepository.Chunk> chunks = list(repository.chunks(2));
        assertThat(chunks).hasSize(3); // 5 visible bulletins, 2 a page
        List<String> walked = new ArrayList<>();
        Cursor after = null;
        for (SitemapRepository.Chunk chunk : chunks) {
            List<SitemapRepository.Entry> page = list(repository.page(after, 2));
            page.forEach(e -> walked.add(e.slug()));
            assertThat(chunk.last().id()).isEqualTo(page.get(page.size() - 1).id());
            after = chunk.last();
        }
        assertThat(list(repository.page(after, 2))).isEmpty();
        assertThat(walked).containsExactlyInAnyOrderElementsOf(visible);
        assertThat(walked.subList(0, 2)).containsExactlyElementsOf(visible.subList(3, 5)); // the 2024 ones come first
    }

    private static <T> List<T> list(reactor.core.publisher.Flux<T> flux) {
        List<T> out = new ArrayList<>();
        reactor.test.StepVerifier.create(flux.collectList()).consumeNextWith(out::addAll).verifyComplete();
        return out;
    }

    private static void validate(byte[] xml, String... xsds) throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Source[] sources = new Source[xsds.length];
        for (int i = 0; i < xsds.length; i++) {
            InputStream in = SitemapTest.class.getResourceAsStream("/xsd/" + xsds[i]);
            sources[i] = new StreamSource(in, xsds[i]);
        }
        Schema schema = factory.newSchema(sources);
        schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(xml)));
    }

    private static List<String> locs(byte[] xml) throws Exception {
        NodeList locs = dom(xml).getElementsByTagNameNS("http://www.sitemaps.org/schemas/sitemap/0.9", "loc");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < locs.getLength(); i++) {
            out.add(locs.item(i).getTextContent());
        }
        return out;
    }

    private static Document dom(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }
}

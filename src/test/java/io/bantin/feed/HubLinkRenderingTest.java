package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each renderer advertises the snapshot's WebSub hub beside its self link, and none when there is no hub. */
class HubLinkRenderingTest {

    static final String HUB = "https://hub.example.net/";

    static FeedSnapshot withHub(String hub) {
        FeedSnapshot s = RenderersTest.snapshot();
        return new FeedSnapshot(s.title(), s.description(), s.homeUrl(), s.selfUrls(), s.language(), s.updated(),
                s.entries(), hub);
    }

    @Test
    void rssHasAnAtomHubLinkNextToSelf() {
        String xml = new String(new RssRenderer().render(withHub(HUB)), StandardCharsets.UTF_8);
        assertThat(xml).contains("<atom:link href=\"https://tin.example.vn/feeds/rss.xml\" rel=\"self\"")
                .contains("<atom:link href=\"" + HUB + "\" rel=\"hub\" />");
        assertThat(Feeds.syndFeed(xml.getBytes(StandardCharsets.UTF_8)).getEntries()).hasSize(1);
        assertThat(new String(new RssRenderer().render(withHub(null)), StandardCharsets.UTF_8)).doesNotContain("hub");
    }

    @Test
    void atomHasAHubLinkWithoutAType() {
        String xml = new String(new AtomRenderer().render(withHub(HUB)), StandardCharsets.UTF_8);
        assertThat(xml).containsPattern("<link rel=\"hub\" href=\"" + HUB + "\"\\s*/>");
        assertThat(Feeds.syndFeed(xml.getBytes(StandardCharsets.UTF_8)).getLinks())
                .anySatisfy(link -> assertThat(link.getRel() + " " + link.getHref()).isEqualTo("hub " + HUB));
        assertThat(new String(new AtomRenderer().render(withHub(null)), StandardCharsets.UTF_8)).doesNotContain("hub");
    }

    @Test
    void jsonFeedListsTheHubOnlyWhenThereIsOne() {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode feed = json.readTree(new JsonFeedRenderer(json).render(withHub(HUB)));
        assertThat(feed.get("hubs").size()).isEqualTo(1);
        assertThat(feed.get("hubs").get(0).get("type").stringValue()).isEqualTo("WebSub");
        assertThat(feed.get("hubs").get(0).get("url").stringValue()).isEqualTo(HUB);
        assertThat(json.readTree(new JsonFeedRenderer(json).render(withHub(null))).has("hubs")).isFalse();
    }
}

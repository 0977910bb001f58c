package io.bantin.feed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.rometools.opml.feed.opml.Attribute;
import com.rometools.opml.feed.opml.Opml;
import com.rometools.opml.feed.opml.Outline;

import org.springframework.stereotype.Component;

import io.bantin.bulletin.Bulletin;
import io.bantin.system.BantinProperties;

/** OPML 2.0 (https://opml.org/spec2.opml) subscription list of every feed: site, categories, tags, authors. */
@Component
class OpmlRenderer {

    static final String FILE = "opml.xml";

    /** The terms each kind of feed exists for. */
    record Directory(List<Bulletin.Term> categories, List<Bulletin.Term> tags, List<Bulletin.Term> authors) {
    }

    private final BantinProperties properties;

    OpmlRenderer(BantinProperties properties) {
        this.properties = properties;
    }

    byte[] render(Directory directory, Instant modified) {
        Opml opml = new Opml();
        opml.setFeedType("opml_2.0");
        opml.setTitle(FeedAssembler.SITE_NAME);
        opml.setModified(Date.from(modified));
        opml.setDocs("https://opml.org/spec2.opml");
        List<Outline> outlines = new ArrayList<>();
        outlines.add(scope(FeedAssembler.SITE_NAME, FeedScope.SITE));
        outlines.add(folder("Chuyên mục", directory.categories(), FeedScope::category));
        outlines.add(folder("Thẻ", directory.tags(), FeedScope::tag));
        outlines.add(folder("Tác giả", directory.authors(), FeedScope::author));
        opml.setOutlines(outlines);
        return XmlDocuments.toBytes(XmlDocuments.toJdom(opml));
    }

    private Outline folder(String text, List<Bulletin.Term> terms, java.util.function.Function<String, FeedScope> scope) {
        Outline folder = new Outline();
        folder.setText(text);
        folder.setChildren(new ArrayList<>(terms.stream()
                .map(term -> scope(XmlText.clean(term.name()), scope.apply(term.slug()))).toList()));
        return folder;
    }

    /** One outline per scope holding its three formats; type "rss" is OPML's word for any feed. */
    private Outline scope(String text, FeedScope scope) {
        Outline group = new Outline();
        group.setText(text);
        List<Outline> feeds = new ArrayList<>();
        for (FeedFormat format : FeedFormat.values()) {
            Outline feed = new Outline();
            feed.setType("rss");
            feed.setText(text + " (" + label(format) + ")");
            feed.setTitle(text + " (" + label(format) + ")");
            feed.getAttributes().add(new Attribute("xmlUrl", properties.url(scope.path(format))));
            feed.getAttributes().add(new Attribute("htmlUrl", properties.url(scope.htmlPath())));
            feed.getAttributes().add(new Attribute("version", switch (format) {
                case RSS -> "RSS2";
                case ATOM -> "ATOM1";
                case JSON -> "JSONFEED1";
            }));
            feeds.add(feed);
        }
        group.setChildren(feeds);
        return group;
    }

    private static String label(FeedFormat format) {
        return switch (format) {
            case RSS -> "RSS";
            case ATOM -> "Atom";
            case JSON -> "JSON Feed";
        };
    }
}

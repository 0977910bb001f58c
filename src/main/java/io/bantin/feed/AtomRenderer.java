package io.bantin.feed;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.rometools.rome.feed.atom.Category;
import com.rometools.rome.feed.atom.Content;
import com.rometools.rome.feed.atom.Entry;
import com.rometools.rome.feed.atom.Feed;
import com.rometools.rome.feed.atom.Link;
import com.rometools.rome.feed.atom.Person;
import com.rometools.rome.feed.synd.SyndPerson;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.Namespace;

import org.springframework.stereotype.Component;

import io.bantin.bulletin.Bulletin;

/** Atom 1.0 (https://www.rfc-editor.org/rfc/rfc4287). */
@Component
class AtomRenderer implements FeedRenderer {

    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    @Override
    public FeedFormat format() {
        return FeedFormat.ATOM;
    }

    @Override
    public byte[] render(FeedSnapshot snapshot) {
        Feed feed = new Feed("atom_1.0");
        // atom:id must never change (RFC 4287 4.2.6): derived from the feed's URL, not from its content.
        String self = snapshot.selfUrl(FeedFormat.ATOM);
        feed.setId("urn:uuid:" + UUID.nameUUIDFromBytes(self.getBytes(StandardCharsets.UTF_8)));
        feed.setTitle(snapshot.title());
        feed.setSubtitle(text(snapshot.description()));
        feed.setUpdated(Date.from(snapshot.updated().toInstant()));
        feed.setAlternateLinks(List.of(link("alternate", snapshot.homeUrl(), "text/html")));
        List<Link> other = new ArrayList<>(List.of(link("self", snapshot.pageUrl(FeedFormat.ATOM), "application/atom+xml")));
        if (snapshot.hubUrl() != null) { // WebSub discovery (https://www.w3.org/TR/websub/#discovery)
            other.add(link("hub", snapshot.hubUrl(), null));
        }
        // Paged feeds (RFC 5005 3): older bulletins one "next" away, back to the very first one.
        if (!snapshot.firstPage()) {
            other.add(link("first", self, "application/atom+xml"));
        }
        if (snapshot.nextQuery() != null) {
            other.add(link("next", snapshot.nextUrl(FeedFormat.ATOM), "application/atom+xml"));
        }
        feed.setOtherLinks(other);
        // A feed-level author covers entries without one (RFC 4287 4.1.1).
        feed.setAuthors(List.of(person(FeedAssembler.SITE_NAME)));
        feed.setEntries(snapshot.entries().stream().map(AtomRenderer::entry).toList());

        Document document = XmlDocuments.toJdom(feed);
        // xml:lang (RFC 4287 2): Rome's generator leaves it out.
        document.getRootElement().setAttribute("lang", snapshot.language(), Namespace.XML_NAMESPACE);
        inPortalZone(document.getRootElement(), snapshot);
        return XmlDocuments.toBytes(document);
    }

    /**
     * Rome writes every date in UTC ({@code ...Z}); RSS, JSON Feed and the pages use the portal's zone, so the
     * Atom dates are rewritten with the snapshot's own offsets (the same instants, RFC 3339 either way).
     */
    private static void inPortalZone(Element root, FeedSnapshot snapshot) {
        Namespace atom = root.getNamespace();
        root.getChild("updated", atom).setText(RFC_3339.format(snapshot.updated()));
        List<Element> entries = root.getChildren("entry", atom);
        for (int i = 0; i < entries.size(); i++) {
            FeedSnapshot.Entry e = snapshot.entries().get(i);
            entries.get(i).getChild("published", atom).setText(RFC_3339.format(e.published()));
            entries.get(i).getChild("updated", atom).setText(RFC_3339.format(e.updated()));
        }
    }

    private static Entry entry(FeedSnapshot.Entry e) {
        Entry entry = new Entry();
        entry.setId("urn:uuid:" + e.id()); // the bulletin id: stable across edits and slug changes
        entry.setTitle(e.title());
        entry.setPublished(Date.from(e.published().toInstant()));
        entry.setUpdated(Date.from(e.updated().toInstant()));
        if (!e.author().isBlank()) {
            entry.setAuthors(List.of(person(e.author())));
        }
        List<Category> categories = new ArrayList<>();
        if (e.category() != null) {
            categories.add(category(e.category()));
        }
        e.tags().forEach(tag -> categories.add(category(tag)));
        entry.setCategories(categories);
        entry.setAlternateLinks(List.of(link("alternate", e.url(), "text/html")));
        // Photos as enclosures (RFC 4287 4.2.7.2), with their length where the publisher gave it (Atom lets it be absent).
        entry.setOtherLinks(e.images().stream().filter(MediaRss::usable).map(image -> {
            Link link = link("enclosure", image.url(), MediaRss.type(image));
            if (image.length() != null) {
                link.setLength(image.length());
            }
            return link;
        }).toList());
        MediaRss.of(e.images()).ifPresent(media -> entry.setModules(new ArrayList<>(List.of(media))));
        if (!e.summary().isBlank()) {
            entry.setSummary(text(e.summary()));
        }
        Content content = new Content();
        content.setType("html"); // escaped HTML (RFC 4287 3.1.1.2)
        content.setValue(e.contentHtml());
        entry.setContents(List.of(content));
        return entry;
    }

    private static Category category(Bulletin.Term term) {
        Category category = new Category();
        category.setTerm(term.slug());
        category.setLabel(term.name());
        return category;
    }

    private static Link link(String rel, String href, String type) {
        Link link = new Link();
        link.setRel(rel);
        link.setHref(href);
        link.setType(type);
        return link;
    }

    private static Content text(String value) {
        Content content = new Content();
        content.setType("text");
        content.setValue(value);
        return content;
    }

    private static SyndPerson person(String name) {
        Person person = new Person();
        person.setName(name);
        return person;
    }
}

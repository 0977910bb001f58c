package io.bantin.bulletin;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.bantin.change.Scopes;
import io.bantin.web.Cursor;

/** Public, read-only access to visible bulletins and their taxonomy, for feeds and reader pages. */
@Component
public class BulletinCatalog {

    /** What a reader asking for one bulletin may see. */
    public enum Visibility {
        VISIBLE, WITHDRAWN, HIDDEN
    }

    /** A bulletin found by slug, with whether readers may see it. */
    public record Lookup(Bulletin bulletin, Visibility visibility) {
    }

    /** The SQL condition, on a {@code bulletins} row aliased {@code b}, for "readers may see it". */
    public static final String VISIBLE = BulletinRows.VISIBLE;

    private final BulletinRepository bulletins;
    private final TaxonomyRepository taxonomy;

    BulletinCatalog(BulletinRepository bulletins, TaxonomyRepository taxonomy) {
        this.bulletins = bulletins;
        this.taxonomy = taxonomy;
    }

    /** The newest visible bulletins, optionally of one category, tag or author slug (null: any). */
    public Flux<Bulletin> latest(String category, String tag, String author, Cursor after, int limit) {
        return bulletins.list(new BulletinQuery(category, tag, author, null, null, null, after, limit, null));
    }

    public Mono<Lookup> bySlug(String slug) {
        return bulletins.findBySlug(slug).map(stored -> new Lookup(stored.bulletin(), stored.visibility()));
    }

    /**
     * What the answers about the bulletin called {@code slug} are made of: the bulletin itself, or the whole site
     * while no bulletin has that slug (the one published under it will be new to the site).
     */
    public Mono<List<String>> scopes(String slug) {
        return bulletins.findIdBySlug(slug).map(id -> List.of(Scopes.bulletin(id))).defaultIfEmpty(List.of(Scopes.SITE));
    }

    /** The category of that slug; empty unless a visible bulletin is in it (embargoed names stay unknown). */
    public Mono<Bulletin.Term> category(String slug) {
        return taxonomy.shownCategory(slug);
    }

    /** The tag of that slug; empty unless a visible bulletin carries it. */
    public Mono<Bulletin.Term> tag(String slug) {
        return taxonomy.shownTag(slug);
    }

    /** An author with at least one visible bulletin; the name is the one on their newest. */
    public Mono<Bulletin.Term> author(String slug) {
        return taxonomy.shownAuthor(slug);
    }

    public Flux<Bulletin.Term> categories() {
        return taxonomy.categories().map(c -> new Bulletin.Term(c.slug(), c.name()));
    }

    /** The categories that have at least one visible bulletin, by name: the reader site's sections. */
    public Flux<Bulletin.Term> sections() {
        return taxonomy.categories().filter(c -> c.count() > 0).map(c -> new Bulletin.Term(c.slug(), c.name()));
    }

    public Flux<Bulletin.Term> tags() {
        return taxonomy.tags().map(t -> new Bulletin.Term(t.slug(), t.name()));
    }

    /** Every author with a visible bulletin, by name. */
    public Flux<Bulletin.Term> authors() {
        return taxonomy.authors();
    }
}

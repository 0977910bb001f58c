package io.bantin.bulletin;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A validated, cleaned bulletin as a publisher sent it, before it is stored.
 *
 * @param category null when the bulletin has none
 * @param publishedAt null means "now"
 * @param draft true keeps it out of every public read until a later write publishes it
 */
record BulletinDraft(
        String title,
        String summary,
        String body,
        String author,
        Bulletin.Term category,
        List<Bulletin.Term> tags,
        List<Bulletin.Image> images,
        String language,
        OffsetDateTime publishedAt,
        boolean draft) {

    BulletinDraft withImages(List<Bulletin.Image> resolved) {
        return new BulletinDraft(title, summary, body, author, category, tags, resolved, language, publishedAt, draft);
    }

    String bodyText() {
        return HtmlSanitizer.text(body);
    }
}

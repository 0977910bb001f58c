package io.bantin.bulletin;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.answer.Answers;
import io.bantin.answer.PublicUrls.Route;

/** Lists categories and tags with their bulletin counts (cached reads, see {@link BulletinReads}). */
@Component
class TaxonomyHandler {

    private final Answers answers;

    TaxonomyHandler(Answers answers) {
        this.answers = answers;
    }

    Mono<ServerResponse> categories(ServerRequest request) {
        return answers.serve(Route.CATEGORIES, request);
    }

    Mono<ServerResponse> tags(ServerRequest request) {
        return answers.serve(Route.TAGS, request);
    }
}

package io.bantin.bulletin;

import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Lists categories and tags with their bulletin counts. */
@Component
class TaxonomyHandler {

    private final TaxonomyRepository taxonomy;

    TaxonomyHandler(TaxonomyRepository taxonomy) {
        this.taxonomy = taxonomy;
    }

    Mono<ServerResponse> categories(ServerRequest request) {
        return taxonomy.categories().collectList()
                .flatMap(all -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(all));
    }

    Mono<ServerResponse> tags(ServerRequest request) {
        return taxonomy.tags().collectList()
                .flatMap(all -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(all));
    }
}

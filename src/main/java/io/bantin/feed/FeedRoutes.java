package io.bantin.feed;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.HEAD;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.answer.PublicUrls.Route;

/** Routes of the feeds: {file} is rss.xml, atom.xml or feed.json (API.md, "Feeds"). */
@Configuration
class FeedRoutes {

    @Bean
    RouterFunction<ServerResponse> feedRouter(FeedHandler feeds) {
        return route()
                .route(read(Route.OPML.pattern()), feeds::opml)
                .route(read(Route.SITE_FEED.pattern()), feeds::site)
                .route(read(Route.CATEGORY_FEED.pattern()), feeds::category)
                .route(read(Route.TAG_FEED.pattern()), feeds::tag)
                .route(read(Route.AUTHOR_FEED.pattern()), feeds::author)
                .build();
    }

    /** GET, and HEAD (validators and crawlers send it): same headers, the server drops the body. */
    static RequestPredicate read(String pattern) {
        return GET(pattern).or(HEAD(pattern));
    }
}

package io.bantin.page;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.HEAD;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.answer.PublicUrls.Route;

/** Routes of the reader pages (API.md, "HTML"); HEAD is answered like GET without the body. */
@Configuration
class PageRoutes {

    @Bean
    RouterFunction<ServerResponse> pageRouter(PageHandler pages, PreviewHandler previews) {
        return route()
                .route(read(Route.HOME.pattern()), pages::home)
                .route(read(Route.BULLETIN_PAGE.pattern()), pages::bulletin)
                .route(read(Route.CATEGORY_PAGE.pattern()), pages::category)
                .route(read(Route.TAG_PAGE.pattern()), pages::tag)
                .route(read(Route.AUTHOR_PAGE.pattern()), pages::author)
                .POST("/api/v1/previews", previews::preview)
                .build();
    }

    private static RequestPredicate read(String pattern) {
        return GET(pattern).or(HEAD(pattern));
    }
}

package io.bantin.page;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.HEAD;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the reader pages (API.md, "HTML"); HEAD is answered like GET without the body. */
@Configuration
class PageRoutes {

    @Bean
    RouterFunction<ServerResponse> pageRouter(PageHandler pages) {
        return route()
                .route(GET("/").or(HEAD("/")), pages::home)
                .route(GET("/bulletins/{slug}").or(HEAD("/bulletins/{slug}")), pages::bulletin)
                .route(GET("/categories/{slug}").or(HEAD("/categories/{slug}")), pages::category)
                .route(GET("/tags/{slug}").or(HEAD("/tags/{slug}")), pages::tag)
                .route(GET("/authors/{slug}").or(HEAD("/authors/{slug}")), pages::author)
                .build();
    }
}

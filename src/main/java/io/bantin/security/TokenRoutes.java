package io.bantin.security;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the token API (admin only; see {@link SecurityConfig}). */
@Configuration
class TokenRoutes {

    @Bean
    RouterFunction<ServerResponse> tokenApi(TokenHandler tokens) {
        return route()
                .POST("/api/v1/tokens", tokens::issue)
                .GET("/api/v1/tokens", tokens::list)
                .DELETE("/api/v1/tokens/{id}", tokens::revoke)
                .build();
    }
}

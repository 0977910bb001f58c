package io.bantin.desk;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the newsroom desk: its page, and its files at immutable paths. It calls only the public API. */
@Configuration
class DeskRoutes {

    @Bean
    RouterFunction<ServerResponse> deskRouter(DeskHandler desk) {
        return route()
                .GET("/desk", desk::page)
                .GET("/desk/assets/{hash}/{file}", desk::asset)
                .build();
    }
}

package io.bantin.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.bantin.system.BantinProperties;

/** The OpenAPI document's frame: title, server, bearer scheme and the problem schema every error uses. */
@Configuration
class OpenApiConfig {

    @Bean
    OpenAPI bantinOpenApi(BantinProperties properties) {
        OpenAPI api = new OpenAPI()
                .info(new Info().title("Bantin API").version("v1")
                        .description("Publish news bulletins and read them as JSON, NDJSON, feeds and live streams. "
                                + "Reads are public; writes need `Authorization: Bearer <token>`."))
                .addServersItem(new io.swagger.v3.oas.models.servers.Server().url(properties.publicUrl()))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("An API token issued by an admin (POST /api/v1/tokens).")));
        return api;
    }

    /** Registers the "Problem" component that every documented error response refers to. */
    @Bean
    OpenApiCustomizer problemSchema() {
        return api -> ApiDocs.schema(api, Problem.class);
    }
}

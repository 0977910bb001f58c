package io.bantin.security;

import static io.bantin.web.ApiDocs.add;
import static io.bantin.web.ApiDocs.empty;
import static io.bantin.web.ApiDocs.example;
import static io.bantin.web.ApiDocs.json;
import static io.bantin.web.ApiDocs.jsonBody;
import static io.bantin.web.ApiDocs.list;
import static io.bantin.web.ApiDocs.operation;
import static io.bantin.web.ApiDocs.path;
import static io.bantin.web.ApiDocs.problem;
import static io.bantin.web.ApiDocs.secured;
import static io.bantin.web.ApiDocs.withHeader;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

import io.bantin.web.ApiDocs;

/** Describes the token routes of {@link TokenRoutes} in the OpenAPI document. */
@Component
class TokenApiDocs implements OpenApiCustomizer {

    /** What an admin sends to issue a token. */
    record TokenRequest(String name, String role) {
    }

    @Override
    public void customise(OpenAPI api) {
        Object view = example("id", "3a664cc3-a7bc-45c0-a729-572d259c939b", "name", "Tòa soạn", "role", "publisher",
                "createdAt", "2024-05-20T08:15:00+07:00", "revokedAt", null);
        add(api, "/api/v1/tokens", HttpMethod.POST, secured(operation("Tokens", "issueToken", "Issue a token")
                .description("The secret is in this answer only; Bantin keeps its SHA-256.")
                .requestBody(jsonBody(ApiDocs.schema(api, TokenRequest.class), example("name", "Tòa soạn", "role", "publisher")))
                .responses(new ApiResponses()
                        .addApiResponse("201", json("Issued", ApiDocs.schema(api, TokenHandler.IssuedToken.class),
                                example("id", "3a664cc3-a7bc-45c0-a729-572d259c939b", "name", "Tòa soạn", "role",
                                        "publisher", "token", "bt_QL-Wg4ke-h8mzdFtsH8PhXMDOORh6nqDrbP2PAwD0U0",
                                        "createdAt", "2024-05-20T08:15:00+07:00")))
                        .addApiResponse("422", problem("Invalid name or role"))
                        .addApiResponse("429", withHeader(problem("Too many tokens issued lately"), "Retry-After", "Seconds to wait"))), "admin"));
        add(api, "/api/v1/tokens", HttpMethod.GET, secured(operation("Tokens", "listTokens", "List tokens, without secrets")
                .responses(new ApiResponses().addApiResponse("200", json("Every token, revoked ones too",
                        new ArraySchema().items(ApiDocs.schema(api, TokenRepository.TokenView.class)), list(view)))), "admin"));
        add(api, "/api/v1/tokens/{id}", HttpMethod.DELETE, secured(operation("Tokens", "revokeToken", "Revoke a token")
                .addParametersItem(path("id", "The token's id"))
                .responses(new ApiResponses()
                        .addApiResponse("204", empty("Revoked: refused from the next request on"))
                        .addApiResponse("404", problem("No such active token"))), "admin"));
    }
}

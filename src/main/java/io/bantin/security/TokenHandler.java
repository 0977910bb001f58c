package io.bantin.security;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.system.BantinProperties;
import io.bantin.web.JsonBodies;
import io.bantin.web.Problem.FieldError;
import io.bantin.web.ProblemException;

/** Admin endpoints that issue, list and revoke API tokens. */
@Component
class TokenHandler {

    /** A newly issued token: the only answer that ever carries its secret. */
    record IssuedToken(UUID id, String name, String role, String token, OffsetDateTime createdAt) {
    }

    private final TokenRepository tokens;
    private final JsonBodies bodies;
    private final BantinProperties properties;

    TokenHandler(TokenRepository tokens, JsonBodies bodies, BantinProperties properties) {
        this.tokens = tokens;
        this.bodies = bodies;
        this.properties = properties;
    }

    Mono<ServerResponse> issue(ServerRequest request) {
        return bodies.read(request).map(body -> validate(body.tree()))
                .flatMap(spec -> Mono.fromCallable(Tokens::newSecret).subscribeOn(Schedulers.boundedElastic())
                        .flatMap(secret -> tokens.insert(spec.name(), spec.role(), Tokens.hash(secret))
                                .map(view -> new IssuedToken(view.id(), view.name(), view.role(), secret,
                                        view.createdAt()))))
                .flatMap(issued -> ServerResponse.created(URI.create(properties.url("/api/v1/tokens/" + issued.id())))
                        .bodyValue(issued));
    }

    Mono<ServerResponse> list(ServerRequest request) {
        return tokens.all().collectList().flatMap(all -> ServerResponse.ok().bodyValue(all));
    }

    Mono<ServerResponse> revoke(ServerRequest request) {
        UUID id = parseId(request.pathVariable("id"));
        return tokens.revoke(id).flatMap(revoked -> revoked ? ServerResponse.noContent().build()
                : Mono.error(ProblemException.notFound("No active token has the id " + id + ".")));
    }

    private record TokenSpec(String name, String role) {
    }

    private static TokenSpec validate(JsonNode tree) {
        List<FieldError> errors = new ArrayList<>();
        if (!tree.isObject()) {
            throw ProblemException.invalid(List.of(new FieldError("$", "must be a JSON object")));
        }
        JsonNode name = tree.get("name");
        JsonNode role = tree.get("role");
        if (name == null || !name.isString() || name.stringValue().isBlank() || name.stringValue().length() > 100) {
            errors.add(new FieldError("name", "is required: a label of at most 100 characters"));
        }
        if (role == null || !role.isString() || !List.of("publisher", "admin").contains(role.stringValue())) {
            errors.add(new FieldError("role", "must be publisher or admin"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new TokenSpec(name.stringValue().strip(), role.stringValue());
    }

    private static UUID parseId(String text) {
        try {
            return UUID.fromString(text);
        }
        catch (IllegalArgumentException e) {
            throw ProblemException.notFound("No token has the id " + text + ".");
        }
    }
}

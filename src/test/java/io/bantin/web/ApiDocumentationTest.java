package io.bantin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;

import io.bantin.support.IntegrationTest;

/** Every registered route is in /v3/api-docs: a route added without documentation fails the build. */
@IntegrationTest
class ApiDocumentationTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Test
    void everyRouteIsDocumented() {
        Set<String> routes = new TreeSet<>();
        context.getBeansOfType(RouterFunction.class).values().forEach(router -> router.accept(new RouteCollector(routes)));
        assertThat(routes).as("routes found").isNotEmpty();

        JsonNode docs = json.readTree(client.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        Set<String> documented = new TreeSet<>();
        docs.get("paths").properties().forEach(path -> path.getValue().propertyNames()
                .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        assertThat(documented).containsAll(routes);
        docs.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            assertThat(op.getValue().get("summary")).as(op.getKey() + " " + path.getKey() + " summary").isNotNull();
            assertThat(op.getValue().get("responses").size()).as(path.getKey() + " responses").isPositive();
        }));
        assertThat(docs.at("/components/securitySchemes/bearer/scheme").stringValue()).isEqualTo("bearer");
        assertThat(docs.at("/components/schemas/Problem/properties/status").isMissingNode()).isFalse();
        assertThat(docs.at("/paths/~1api~1v1~1bulletins/post/requestBody/content/application~1json/examples/vi/value/title")
                .stringValue()).isEqualTo("Hội nghị tổng kết công tác dân vận năm 2020");
        for (String read : List.of("/paths/~1api~1v1~1bulletins/get", "/paths/~1api~1v1~1bulletins~1{idOrSlug}/get")) {
            JsonNode fields = null;
            for (JsonNode parameter : docs.at(read + "/parameters")) {
                fields = parameter.get("name").stringValue().equals("fields") ? parameter : fields;
            }
            assertThat(fields).as(read + " documents fields=").isNotNull();
            assertThat(fields.get("example").stringValue()).isEqualTo("id,slug,title,summary,images,publishedAt");
        }
        assertThat(docs.at("/paths/~1api~1v1~1bulletins/get/responses/200/content/application~1json/examples/vi/value/items/0")
                .propertyNames()).containsExactly("id", "slug", "title", "summary", "images", "publishedAt");
    }

    @Test
    void feedFilesAreAnEnumAndLimitsAreBoundedIntegers() {
        JsonNode paths = json.readTree(client.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).get("paths");
        for (String feed : List.of("/feeds/{file}", "/feeds/categories/{slug}/{file}", "/feeds/tags/{slug}/{file}",
                "/feeds/authors/{slug}/{file}")) {
            JsonNode parameters = paths.get(feed).get("get").get("parameters");
            assertThat(parameter(parameters, "file").get("schema").get("enum").toString())
                    .isEqualTo("[\"rss.xml\",\"atom.xml\",\"feed.json\"]");
            JsonNode limit = parameter(parameters, "limit").get("schema");
            assertThat(limit.get("type").stringValue()).isEqualTo("integer");
            assertThat(limit.get("maximum").intValue()).isEqualTo(200);
        }
        JsonNode limit = parameter(paths.get("/api/v1/bulletins").get("get").get("parameters"), "limit").get("schema");
        assertThat(limit.get("type").stringValue()).isEqualTo("integer");
        assertThat(limit.get("minimum").intValue()).isEqualTo(1);
        assertThat(limit.get("maximum").intValue()).isEqualTo(100);
    }

    @Test
    void refusedRepresentationsAndBodiesAreDocumentedWhereTheyCanHappen() {
        JsonNode paths = json.readTree(client.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).get("paths");
        List<String> checked = new ArrayList<>();
        paths.properties().forEach(path -> path.getValue().properties().forEach(op -> {
            String name = op.getKey() + " " + path.getKey();
            JsonNode responses = op.getValue().get("responses");
            // any route: an Accept that is not a list of media types, a token sent and refused, too many of them
            for (String status : List.of("400", "401", "429")) {
                // a HEAD twin lists GET's statuses without bodies
                assertThat(responses.at(op.getKey().equals("head") ? "/" + status
                        : "/" + status + "/content/application~1problem+json").isMissingNode())
                        .as(name + " documents " + status).isFalse();
            }
            if (op.getValue().has("requestBody")) {
                for (String status : List.of("413", "415")) {
                    assertThat(responses.at("/" + status + "/content/application~1problem+json").isMissingNode())
                            .as(name + " documents " + status).isFalse();
                }
                checked.add(name);
            }
        }));
        assertThat(checked).contains("post /api/v1/bulletins", "put /api/v1/bulletins/{id}", "post /api/v1/tokens");
        assertThat(paths.at("/~1api~1v1~1stream/get/responses/406/content/application~1problem+json").isMissingNode()).isFalse();
        JsonNode changesLimit = parameter(paths.at("/~1api~1v1~1changes/get/parameters"), "limit").get("schema");
        assertThat(changesLimit.get("type").stringValue()).isEqualTo("integer");
        assertThat(changesLimit.get("maximum").intValue()).isEqualTo(500);
    }

    private static JsonNode parameter(JsonNode parameters, String name) {
        for (JsonNode parameter : parameters) {
            if (parameter.get("name").stringValue().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("no parameter " + name + " in " + parameters);
    }

    @Test
    void swaggerUiIsServed() {
        client.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        client.get().uri("/webjars/swagger-ui/index.html").exchange().expectStatus().isOk();
    }

    /** Collects "METHOD /path" for every route, joining nested path prefixes. */
    private static final class RouteCollector implements RouterFunctions.Visitor, RequestPredicates.Visitor {

        private final Set<String> routes;
        private final ArrayList<String> prefixes = new ArrayList<>();
        private final Set<String> methods = new TreeSet<>();
        private String pattern = "";

        RouteCollector(Set<String> routes) {
            this.routes = routes;
        }

        @Override
        public void startNested(RequestPredicate predicate) {
            pattern = "";
            predicate.accept(this);
            prefixes.add(pattern);
        }

        @Override
        public void endNested(RequestPredicate predicate) {
            prefixes.remove(prefixes.size() - 1);
        }

        @Override
        public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
            methods.clear();
            pattern = "";
            predicate.accept(this);
            String full = String.join("", prefixes) + pattern;
            methods.forEach(method -> routes.add(method + " " + full));
        }

        @Override
        public void resources(Function<ServerRequest, Mono<Resource>> lookupFunction) {
        }

        @Override
        public void attributes(Map<String, Object> attributes) {
        }

        @Override
        public void unknown(RouterFunction<?> routerFunction) {
        }

        @Override
        public void method(Set<HttpMethod> httpMethods) {
            // HEAD is GET without the body (RFC 9110 9.3.2); OpenAPI documents the GET.
            httpMethods.stream().filter(m -> m != HttpMethod.HEAD).forEach(m -> methods.add(m.name()));
        }

        @Override
        public void path(String path) {
            pattern = path; // "GET(p).or(HEAD(p))" names the same path twice
        }

        @Override
        public void pathExtension(String extension) {
        }

        @Override
        public void header(String name, String value) {
        }

        @Override
        public void queryParam(String name, String value) {
        }

        @Override
        public void version(String version) {
        }

        @Override
        public void startAnd() {
        }

        @Override
        public void and() {
        }

        @Override
        public void endAnd() {
        }

        @Override
        public void startOr() {
        }

        @Override
        public void or() {
        }

        @Override
        public void endOr() {
        }

        @Override
        public void startNegate() {
        }

        @Override
        public void endNegate() {
        }

        @Override
        public void unknown(RequestPredicate predicate) {
        }
    }
}

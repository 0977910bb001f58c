package io.bantin.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.support.IntegrationTest;

/**
 * A handler that dies with an Error rather than an Exception (a class that fails to initialise, a stack
 * overflow) is still answered, with a 500 problem, instead of leaving the request hanging: Reactor
 * rethrows such errors rather than signalling them (see {@link HandlerErrors}).
 */
@IntegrationTest
@Import(HandlerErrorsTest.FailingRoutes.class)
class HandlerErrorsTest {

    @Autowired
    WebTestClient client;

    /** Touching it runs a static initialiser that throws: ExceptionInInitializerError, then NoClassDefFoundError. */
    static final class Uninitialisable {
        static final int VALUE = Integer.parseInt(System.getProperty("bantin.test.no-such-number", "not a number"));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class FailingRoutes {

        @Bean
        RouterFunction<ServerResponse> failingRoutes() {
            return route()
                    .GET("/test/uninitialisable", request -> ServerResponse.ok().bodyValue(Uninitialisable.VALUE))
                    .GET("/test/uninitialisable-later", request -> Mono.fromCallable(() -> Uninitialisable.VALUE)
                            .flatMap(value -> ServerResponse.ok().bodyValue(value)))
                    .GET("/test/overflow", request -> {
                        throw new StackOverflowError("deep");
                    })
                    .build();
        }
    }

    @Test
    void aHandlerWhoseClassCannotInitialiseIsAnswered() {
        // the first call fails the initialiser (ExceptionInInitializerError), later ones find the class
        // unusable (NoClassDefFoundError): both are LinkageErrors, which Reactor will not signal
        for (String path : new String[] {"/test/uninitialisable", "/test/uninitialisable", "/test/uninitialisable-later"}) {
            assertProblem500(path);
        }
    }

    @Test
    void aStackOverflowInAHandlerIsAnswered() {
        assertProblem500("/test/overflow");
    }

    @SuppressWarnings("unchecked")
    private void assertProblem500(String path) {
        Map<String, Object> problem = client.mutate().responseTimeout(Duration.ofSeconds(10)).build()
                .get().uri(path).exchange()
                .expectStatus().isEqualTo(500)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(problem).as(path).containsEntry("status", 500).containsEntry("detail", "An unexpected error occurred.");
    }
}

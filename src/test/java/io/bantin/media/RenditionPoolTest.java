package io.bantin.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

import io.bantin.web.ProblemException;

/** Admission to the decoders: decoders + queue uploads held at once, the next refused before its body is read. */
class RenditionPoolTest {

    @Test
    void pastDecodersAndQueueAnUploadIsRefusedWith503AndRetryAfterThenAdmittedOnceAPlaceIsFree() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RenditionPool pool = new RenditionPool(new MediaProperties(DataSize.ofMegabytes(1), 1_000_000L, 1, 1, 0.8f,
                60.0, 20.0, DataSize.ofMegabytes(1)), registry);
        try {
            Sinks.One<String> first = Sinks.one();
            Sinks.One<String> second = Sinks.one();
            pool.admit(first.asMono()).subscribe();
            pool.admit(second.asMono()).subscribe();
            assertThat(registry.get("bantin.media.uploads").gauge().value()).isEqualTo(2);
            boolean[] bodyRead = {false};
            StepVerifier.create(pool.admit(Mono.fromCallable(() -> bodyRead[0] = true)))
                    .expectErrorSatisfies(error -> {
                        ProblemException problem = (ProblemException) error;
                        assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                        assertThat(problem.headers().getFirst("Retry-After")).isEqualTo("2");
                    })
                    .verify(Duration.ofSeconds(5));
            assertThat(bodyRead[0]).as("a refused upload's body is never read").isFalse();
            assertThat(registry.get("bantin.media.uploads.refused").functionCounter().count()).isEqualTo(1);
            first.tryEmitValue("done");
            StepVerifier.create(pool.admit(Mono.just("third"))).expectNext("third").verifyComplete();
            assertThat(registry.get("bantin.media.uploads").gauge().value()).isEqualTo(1);
        }
        finally {
            pool.destroy();
        }
    }
}

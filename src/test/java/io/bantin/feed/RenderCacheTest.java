package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.dao.QueryTimeoutException;

import io.bantin.web.DatabaseErrors;

/** The render cache alone: one render per key and generation, whatever the readers do. */
class RenderCacheTest {

    final RenderCache cache = new RenderCache(RenderCache.RENDER_TIMEOUT);
    final AtomicInteger calls = new AtomicInteger();

    Mono<byte[]> slowRender(String text) {
        return Mono.delay(Duration.ofMillis(100)).map(tick -> {
            calls.incrementAndGet();
            return text.getBytes(StandardCharsets.UTF_8);
        });
    }

    @Test
    void concurrentReadersShareOneRender() {
        Flux.range(0, 200).flatMap(i -> cache.get("/feeds/rss.xml", "g1", () -> slowRender("rss")))
                .map(rendered -> new String(rendered.identity(), StandardCharsets.UTF_8))
                .as(StepVerifier::create)
                .thenConsumeWhile("rss"::equals)
                .verifyComplete();
        assertThat(calls).hasValue(1);
        assertThat(cache.renders()).isEqualTo(1);
    }

    @Test
    void aNewGenerationRendersAgainAndGzipDecodesToTheSameBytes() {
        byte[] first = cache.get("k", "g1", () -> slowRender("một")).block(Duration.ofSeconds(5)).identity();
        RenderCache.Rendered second = cache.get("k", "g2", () -> slowRender("hai")).block(Duration.ofSeconds(5));
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("một");
        assertThat(new String(second.identity(), StandardCharsets.UTF_8)).isEqualTo("hai");
        assertThat(Feeds.gunzip(second.gzip())).isEqualTo(second.identity());
        assertThat(calls).hasValue(2);
    }

    @Test
    void aFailedRenderIsNotKept() {
        cache.get("k", "g1", () -> Mono.error(new IllegalStateException("database down")))
                .as(StepVerifier::create).verifyErrorMessage("database down");
        cache.get("k", "g1", () -> slowRender("ok")).as(StepVerifier::create)
                .expectNextMatches(r -> new String(r.identity(), StandardCharsets.UTF_8).equals("ok")).verifyComplete();
    }

    @Test
    void aRenderThatRunsOutOfTimeFailsAsTheDatabaseNotAnsweringSoReadersGet503() {
        RenderCache impatient = new RenderCache(Duration.ofMillis(200));
        impatient.get("k", "g1", Mono::never).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(QueryTimeoutException.class)
                        .hasMessageStartingWith("feed: render of k abandoned")
                        .matches(DatabaseErrors::unavailable, "answered 503 by ProblemExceptionHandler"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aReaderWhoLeavesDoesNotCancelTheRenderOthersWaitFor() {
        cache.get("k", "g1", () -> slowRender("vẫn còn")).as(StepVerifier::create)
                .thenAwait(Duration.ofMillis(10)).thenCancel().verify();
        cache.get("k", "g1", () -> slowRender("lần hai")).as(StepVerifier::create)
                .expectNextMatches(r -> new String(r.identity(), StandardCharsets.UTF_8).equals("vẫn còn"))
                .verifyComplete();
        assertThat(calls).hasValue(1);
    }
}

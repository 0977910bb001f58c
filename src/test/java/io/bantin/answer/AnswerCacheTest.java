package io.bantin.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.dao.QueryTimeoutException;

import io.bantin.feed.Feeds;
import io.bantin.web.DatabaseErrors;

/** The answer cache alone: one render per key and version, whatever the readers do, and never past its budget. */
class AnswerCacheTest {

    final AnswerCache cache = new AnswerCache(1 << 20, AnswerCacheConfig.RENDER_TIMEOUT);
    final AtomicInteger calls = new AtomicInteger();

    static Rendered rendered(byte[] bytes) {
        return new Rendered(bytes, Rendered.gzip(bytes), "text/plain", "W/\"x\"", Instant.EPOCH, List.of("site"),
                new String[0], "v");
    }

    Mono<Rendered> slowRender(String text) {
        return Mono.delay(Duration.ofMillis(100)).map(tick -> {
            calls.incrementAndGet();
            return rendered(text.getBytes(StandardCharsets.UTF_8));
        });
    }

    static String text(Rendered rendered) {
        return new String(rendered.identity(), StandardCharsets.UTF_8);
    }

    @Test
    void concurrentReadersShareOneRender() {
        Flux.range(0, 200).flatMap(i -> cache.get("/feeds/rss.xml", "g1", () -> slowRender("rss")))
                .map(AnswerCacheTest::text)
                .as(StepVerifier::create)
                .thenConsumeWhile("rss"::equals)
                .verifyComplete();
        assertThat(calls).hasValue(1);
        assertThat(cache.renders()).isEqualTo(1);
    }

    @Test
    void aNewVersionRendersAgainAndGzipDecodesToTheSameBytes() {
        Rendered first = cache.get("k", "g1", () -> slowRender("một")).block(Duration.ofSeconds(5));
        Rendered second = cache.get("k", "g2", () -> slowRender("hai")).block(Duration.ofSeconds(5));
        assertThat(text(first)).isEqualTo("một");
        assertThat(text(second)).isEqualTo("hai");
        assertThat(Feeds.gunzip(second.gzip())).isEqualTo(second.identity());
        assertThat(calls).hasValue(2);
        assertThat(cache.entries()).isEqualTo(1);
        assertThat(cache.bytes()).isLessThan(2 * AnswerCache.ENTRY_OVERHEAD + 200);
    }

    @Test
    void aFailedRenderIsNotKept() {
        cache.get("k", "g1", () -> Mono.error(new IllegalStateException("database down")))
                .as(StepVerifier::create).verifyErrorMessage("database down");
        cache.get("k", "g1", () -> slowRender("ok")).as(StepVerifier::create)
                .expectNextMatches(r -> text(r).equals("ok")).verifyComplete();
    }

    @Test
    void aRenderThatRunsOutOfTimeFailsAsTheDatabaseNotAnsweringSoReadersGet503() {
        AnswerCache impatient = new AnswerCache(1 << 20, Duration.ofMillis(200));
        impatient.get("k", "g1", Mono::never).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(QueryTimeoutException.class)
                        .hasMessageStartingWith("cache: render of k abandoned")
                        .matches(DatabaseErrors::unavailable, "answered 503 by ProblemExceptionHandler"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aReaderWhoLeavesDoesNotCancelTheRenderOthersWaitFor() {
        cache.get("k", "g1", () -> slowRender("vẫn còn")).as(StepVerifier::create)
                .thenAwait(Duration.ofMillis(10)).thenCancel().verify();
        cache.get("k", "g1", () -> slowRender("lần hai")).as(StepVerifier::create)
                .expectNextMatches(r -> text(r).equals("vẫn còn"))
                .verifyComplete();
        assertThat(calls).hasValue(1);
    }

    @Test
    void manyKeysStayWithinTheBudgetDroppingTheLeastRecentlyUsed() {
        byte[] answer = new byte[10_000];
        new java.util.Random(7).nextBytes(answer); // gzip cannot shrink it: about 20 KB an entry
        cache.get("kept", "v", () -> Mono.just(rendered(answer))).block(Duration.ofSeconds(5));
        for (int i = 0; i < 2_000; i++) {
            cache.get("k" + i, "v", () -> Mono.just(rendered(answer))).block(Duration.ofSeconds(5));
            assertThat(cache.peek("kept")).as("used after every insert, so never the oldest").isNotNull();
            assertThat(cache.bytes()).isLessThanOrEqualTo(cache.maxBytes());
        }
        assertThat(cache.evictions()).isGreaterThan(1_900);
        assertThat(cache.peek("k0")).isNull();
        assertThat(cache.peek("k1999")).isNotNull();
        assertThat(cache.entries()).isBetween(40, 52);
    }

    @Test
    void anAnswerLargerThanAQuarterOfTheBudgetIsServedButNotKept() {
        byte[] huge = new byte[300_000];
        new java.util.Random(7).nextBytes(huge);
        assertThat(cache.get("huge", "v", () -> Mono.just(rendered(huge))).block(Duration.ofSeconds(5)).identity())
                .hasSize(300_000);
        assertThat(cache.peek("huge")).isNull();
        assertThat(cache.bytes()).isZero();
    }
}

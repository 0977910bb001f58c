package io.bantin.answer;

import java.time.Duration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The answer cache with its budget and its meters ({@code bantin_cache_*}). */
@Configuration
class AnswerCacheConfig {

    /** A render that takes longer is abandoned (its readers get a 503) rather than waited on forever. */
    static final Duration RENDER_TIMEOUT = Duration.ofSeconds(20);

    @Bean
    AnswerCache answerCache(CacheProperties properties, MeterRegistry registry) {
        AnswerCache cache = new AnswerCache(properties.maxBytes().toBytes(), RENDER_TIMEOUT);
        Gauge.builder("bantin.cache.bytes", cache, AnswerCache::bytes).baseUnit("bytes")
                .description("Bytes of rendered answers held, plain and gzipped").register(registry);
        Gauge.builder("bantin.cache.max.bytes", cache, AnswerCache::maxBytes).baseUnit("bytes")
                .description("The answer cache's budget (bantin.cache.max-bytes)").register(registry);
        Gauge.builder("bantin.cache.entries", cache, AnswerCache::entries)
                .description("Answers held").register(registry);
        FunctionCounter.builder("bantin.cache.evictions", cache, AnswerCache::evictions)
                .description("Answers dropped, least recently used first, to stay within the budget").register(registry);
        FunctionCounter.builder("bantin.cache.hits", cache, AnswerCache::hits)
                .description("Answers served from an already rendered copy").register(registry);
        FunctionCounter.builder("bantin.cache.renders", cache, AnswerCache::renders)
                .description("Answers rendered (each serves every reader of its version)").register(registry);
        return cache;
    }
}

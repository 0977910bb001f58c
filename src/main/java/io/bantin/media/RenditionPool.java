package io.bantin.media;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.bantin.web.ProblemException;

/**
 * Where photos are decoded and their renditions made: a pool of {@code bantin.media.decoders} threads of its own
 * (decoding is blocking and CPU-bound, never for an event loop), and the admission of uploads to it. An upload is
 * admitted before its body is read and holds its place until its renditions are made, so at most decoders + queue
 * uploads are held at once; the next gets 503 with {@code Retry-After}.
 */
@Component
class RenditionPool implements DisposableBean {

    private final ThreadPoolExecutor executor;
    private final Scheduler scheduler;
    private final RenditionMaker maker;
    private final int places;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    RenditionPool(MediaProperties properties, MeterRegistry registry) {
        // Registers the plugins of the jars on this class path (TwelveMonkeys): a packaged jar's nested jars are
        // not on the system class path ImageIO scans by itself.
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false); // everything happens in memory: no temporary files
        int decoders = properties.decoders();
        this.places = decoders + properties.queue();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(decoders, decoders, 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(Math.max(1, places)), runnable -> {
                    Thread thread = new Thread(runnable, "media-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.scheduler = Schedulers.fromExecutorService(executor, "media");
        this.maker = new RenditionMaker(properties.maxPixels(), properties.quality());
        Gauge.builder("bantin.media.uploads", admitted, AtomicInteger::get).strongReference(true)
                .description("Uploads admitted and not yet done (read, queued or decoding)").register(registry);
        FunctionCounter.builder("bantin.media.uploads.refused", refused, AtomicInteger::get)
                .description("Uploads refused with 503 since start-up: every decoder and queue place was taken")
                .register(registry);
        Gauge.builder("bantin.media.uploads.max", () -> places).strongReference(true)
                .description("Uploads held at most at once (bantin.media.decoders + bantin.media.queue)").register(registry);
    }

    /**
     * Runs {@code upload} holding one place, released when it ends however it ends; a 503 problem at once when
     * every place is taken.
     */
    <T> Mono<T> admit(Mono<T> upload) {
        return Mono.defer(() -> {
            if (admitted.incrementAndGet() > places) {
                admitted.decrementAndGet();
                return Mono.error(busy());
            }
            return upload.doFinally(signal -> admitted.decrementAndGet());
        });
    }

    private ProblemException busy() {
        refused.incrementAndGet();
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Every decoder is busy: " + places
                + " uploads are already being made into renditions. Try again in a few seconds.")
                .withHeader("Retry-After", "2");
    }

    /** Work of an admitted upload done on the pool rather than an event loop. */
    <T> Mono<T> run(java.util.concurrent.Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(scheduler)
                .onErrorMap(java.util.concurrent.RejectedExecutionException.class, full -> busy());
    }

    /** The renditions of an admitted upload, made on the pool. */
    Mono<List<RenditionMaker.File>> make(byte[] bytes, ImageFormat format) {
        // A client that hung up frees its place at once, but its decode runs on (ImageIO cannot be interrupted;
        // the decode deadline bounds it): the executor's own bounded queue then refuses, as a 503 too.
        return Mono.fromCallable(() -> maker.make(bytes, format)).subscribeOn(scheduler)
                .onErrorMap(java.util.concurrent.RejectedExecutionException.class, full -> busy());
    }

    @Override
    public void destroy() {
        scheduler.dispose();
    }
}

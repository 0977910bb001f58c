package io.bantin.bulletin;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.system.DatabasePools;
import io.bantin.system.OutboundGate;
import io.bantin.web.ProblemException;

/**
 * NDJSON exports ({@code Accept: application/x-ndjson} on the list), within a budget: at most
 * {@code bantin.export.max-concurrent} at once (then 503 with {@code Retry-After}), their queries on the
 * export connections so that other reads never wait behind them, lines handed to the connection only
 * while it is writable, and an export whose client takes no line for {@code bantin.export.write-timeout}
 * cut off. A stalled export so holds at most about two query chunks and one write buffer.
 * Meters: {@code bantin_exports_open}, {@code bantin_exports_refused_total}, {@code bantin_exports_cut_off_total}.
 */
@Component
class BulletinExport {

    private static final Logger log = LoggerFactory.getLogger(BulletinExport.class);

    private final BulletinRepository bulletins;
    private final JsonMapper json;
    private final ExportProperties properties;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter refused;
    private final Counter cutOff;

    BulletinExport(BulletinRepository bulletins, JsonMapper json, ExportProperties properties, MeterRegistry registry) {
        this.bulletins = bulletins;
        this.json = json;
        this.properties = properties;
        Gauge.builder("bantin.exports.open", open, AtomicInteger::get)
                .description("NDJSON exports in progress (bantin.export.max-concurrent caps them)").register(registry);
        refused = Counter.builder("bantin.exports.refused")
                .description("Exports refused with 503: bantin.export.max-concurrent in progress").register(registry);
        cutOff = Counter.builder("bantin.exports.cut.off")
                .description("Exports ended because the client took no line for bantin.export.write-timeout").register(registry);
    }

    Mono<ServerResponse> respond(ServerRequest request, BulletinQuery query) {
        Object response = ServerHttpResponseDecorator.getNativeResponse(request.exchange().getResponse());
        Channel channel = response instanceof Connection connection ? connection.channel() : null;
        // Counted once the body is subscribed, so a refusal comes before anything is sent and is a plain 503.
        Flux<byte[]> lines = Flux.defer(() -> {
            if (open.incrementAndGet() > properties.maxConcurrent()) {
                open.decrementAndGet();
                refused.increment();
                return Flux.error(new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, properties.maxConcurrent()
                        + " exports are in progress, the most this instance runs at once; try again shortly.")
                        .withHeader(HttpHeaders.RETRY_AFTER, "5"));
            }
            return DatabasePools.forExports(bulletins.export(query)).map(this::line)
                    .doFinally(signal -> open.decrementAndGet());
        });
        return ServerResponse.ok().contentType(MediaType.APPLICATION_NDJSON).body((message, context) -> {
            if (channel == null) {
                return message.writeWith(lines.map(message.bufferFactory()::wrap));
            }
            Flux<byte[]> paced = OutboundGate.whenWritable(lines, channel)
                    .timeout(properties.writeTimeout(), Flux.defer(() -> cutOff(channel)));
            return message.writeWith(paced.map(message.bufferFactory()::wrap));
        });
    }

    /** Ends an export whose client stopped reading: resets the connection, dropping what it did not read. */
    private Flux<byte[]> cutOff(Channel channel) {
        cutOff.increment();
        log.info("export: closed the connection of {}, which took no line for {} ms", channel.remoteAddress(),
                properties.writeTimeout().toMillis());
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        return Mono.<byte[]>create(closed -> channel.close().addListener(done -> closed.success())).flux();
    }

    private byte[] line(Bulletin bulletin) {
        byte[] line = json.writeValueAsBytes(bulletin);
        byte[] withNewline = java.util.Arrays.copyOf(line, line.length + 1);
        withNewline[line.length] = '\n';
        return withNewline;
    }
}

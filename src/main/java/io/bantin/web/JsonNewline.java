package io.bantin.web;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Ends every single-document application/json answer with a newline (problems and JSON Feeds end their
 * own: {@link ProblemWriter}, the feed renderer), as a text file ends: shells print the prompt on its own line and line-based
 * tools see a complete last line. Streams (NDJSON, SSE) end each line themselves and are left alone, and so
 * is anything already compressed.
 */
@Component
class JsonNewline implements WebFilter, Ordered {

    private static final byte[] NEWLINE = {'\n'};

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange.mutate().response(new Terminated(exchange.getResponse())).build());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 3; // inside HEAD handling, so HEAD measures the same bytes as GET
    }

    private static final class Terminated extends ServerHttpResponseDecorator {

        Terminated(ServerHttpResponse delegate) {
            super(delegate);
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            if (!(body instanceof Mono<? extends DataBuffer> single) || !isJson(getHeaders().getContentType())
                    || getHeaders().containsHeader(HttpHeaders.CONTENT_ENCODING)) {
                return super.writeWith(body);
            }
            return super.writeWith(single.map(buffer -> {
                int end = buffer.writePosition();
                if (end > 0 && buffer.getByte(end - 1) == '\n') {
                    return buffer; // cached answers are stored ending with their newline
                }
                long length = getHeaders().getContentLength();
                if (length >= 0) {
                    getHeaders().setContentLength(length + 1);
                }
                DataBuffer ended = bufferFactory().allocateBuffer(buffer.readableByteCount() + 1);
                ended.write(buffer).write(NEWLINE);
                DataBufferUtils.release(buffer);
                return ended;
            }));
        }

        private static boolean isJson(MediaType type) {
            return type != null && type.isCompatibleWith(MediaType.APPLICATION_JSON);
        }
    }
}

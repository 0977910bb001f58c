package io.bantin.system;

import java.util.Arrays;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

import io.bantin.web.Problem;

/**
 * Answers requests HTTP/1.1 itself refuses, before they reach Spring, with a problem+json body and a
 * closed connection: an over-long request line (414) or header block (431), which reactor-netty answers
 * with an empty body and offers no hook for (reactor/reactor-netty#3327: "custom ChannelHandler and
 * doOnChannelInit" is the maintainers' answer); a request without {@code Host} (RFC 9112 section 3.2: 400);
 * and a {@code Transfer-Encoding} other than {@code chunked}, or one sent together with {@code Content-Length}
 * (RFC 9112 section 6.1, request smuggling: 400), which Netty's decoder lets through, framing the body by
 * {@code Content-Length} (netty/netty#9861, netty/netty#16721). Remove a check once the decoder refuses
 * that request itself: {@code HttpRequestChecksTest} shows what each one answers.
 */
@Configuration
class HttpRequestChecks {

    static final String HANDLER = "bantin.requestChecks";

    @Bean
    NettyServerCustomizer requestChecksCustomizer(JsonMapper json) {
        return server -> server.doOnChannelInit((observer, channel, remote) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER, new Checks(json));
            }
        });
    }

    /** One per connection: after a refusal the rest of the request is discarded and the connection closed. */
    static final class Checks extends ChannelInboundHandlerAdapter {

        private final JsonMapper json;
        private boolean refused;

        Checks(JsonMapper json) {
            this.json = json;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (refused) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                String reason = refusal(request);
                if (reason != null) {
                    refused = true;
                    ReferenceCountUtil.release(msg);
                    refuse(ctx, status(request), reason);
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }

        private static String refusal(HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                return cause instanceof TooLongHttpLineException ? "The request line is too long."
                        : cause instanceof TooLongHttpHeaderException ? "The request headers are too large."
                        : cause instanceof TooLongFrameException ? "The request is too large."
                        : "The request is not valid HTTP: " + cause.getMessage();
            }
            var headers = request.headers();
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !headers.contains(HttpHeaderNames.HOST)) {
                return "An HTTP/1.1 request needs a Host header.";
            }
            if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
                if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                    return "A request may have Transfer-Encoding or Content-Length, not both.";
                }
                List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING).stream()
                        .flatMap(value -> Arrays.stream(value.split(","))).map(String::strip).toList();
                if (!codings.get(codings.size() - 1).equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString())
                        || codings.size() > 1) {
                    return "Only Transfer-Encoding: chunked is accepted.";
                }
            }
            return null;
        }

        private static HttpStatus status(HttpRequest request) {
            Throwable cause = request.decoderResult().cause();
            return cause instanceof TooLongHttpLineException ? HttpStatus.URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpStatus.BAD_REQUEST;
        }

        private void refuse(ChannelHandlerContext ctx, HttpStatus status, String detail) {
            byte[] document = json.writeValueAsBytes(Problem.of(status, detail, null));
            byte[] body = Arrays.copyOf(document, document.length + 1);
            body[document.length] = '\n';
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status.value()), Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}

package io.bantin.system;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Answers every pipelined request when a later one says {@code Connection: close}. Reactor Netty
 * (1.3.6, {@code HttpTrafficHandler}) marks the connection as closing as soon as it reads such a request,
 * and closes it after the response it is writing then: three pipelined GETs, the last with
 * {@code Connection: close}, got one answer. Here a pipelined request's {@code close} is taken off before
 * Reactor Netty sees it, and put back on its own response, after which the connection closes.
 * {@code PipeliningTest} shows when this can go: it passes without this handler once Reactor Netty does it.
 */
final class PipelinedClose extends ChannelDuplexHandler {

    private long read;
    private long answered;
    private long closeAfter = -1;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            read++;
            boolean pipelined = read - answered > 1;
            if (pipelined && request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                    && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
                request.headers().remove(HttpHeaderNames.CONNECTION);
                closeAfter = read;
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            super.write(ctx, msg, promise); // "100 Continue" is no answer: the real one follows
            return;
        }
        boolean closing = answered + 1 == closeAfter;
        if (closing && msg instanceof HttpResponse response) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (msg instanceof LastHttpContent) {
            answered++;
            if (closing) {
                super.write(ctx, msg, promise.unvoid().addListener(ChannelFutureListener.CLOSE));
                return;
            }
        }
        super.write(ctx, msg, promise);
    }
}

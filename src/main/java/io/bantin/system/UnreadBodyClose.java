package io.bantin.system;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Closes a connection whose request was answered before its body was read (a 413 for a body over the
 * limit, a 401 for a write without a valid token) instead of reading the rest of the body to keep the
 * connection: Reactor Netty drained a 50 MiB chunked body to the end after answering 413. The answer
 * says {@code Connection: close}; then the server stops sending, reads and discards at most
 * {@link #LINGER_BYTES} more for at most {@link #LINGER_MILLIS} (so a client still sending gets to read
 * the answer rather than a reset), and closes.
 */
final class UnreadBodyClose extends ChannelDuplexHandler {

    static final long LINGER_BYTES = 1 << 20;
    static final long LINGER_MILLIS = 2000;

    private long read;
    private long answered;
    private boolean bodyDone = true;
    private boolean closing;
    private boolean lingering;
    private long discarded;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (lingering) {
            discarded += msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
            ReferenceCountUtil.release(msg);
            if (discarded > LINGER_BYTES) {
                ctx.close();
            }
            return;
        }
        if (msg instanceof HttpRequest) {
            read++;
            bodyDone = false;
        }
        if (msg instanceof LastHttpContent) {
            bodyDone = true;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            // "100 Continue" asks for the body: it answers nothing (curl waits for it before sending a photo)
            super.write(ctx, msg, promise);
            return;
        }
        if (msg instanceof HttpResponse response && !bodyDone && read - answered == 1) {
            closing = true;
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (msg instanceof LastHttpContent) {
            answered++;
            if (closing) {
                super.write(ctx, msg, promise.unvoid().addListener(done -> linger(ctx)));
                return;
            }
        }
        super.write(ctx, msg, promise);
    }

    private void linger(ChannelHandlerContext ctx) {
        lingering = true;
        if (ctx.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        }
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }
}

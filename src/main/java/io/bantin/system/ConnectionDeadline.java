package io.bantin.system;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * One connection's deadlines while no request is in progress: without a byte it may wait
 * {@code idleTimeout} for its first or next request; once a head has begun to arrive, the head must be
 * complete within {@code headTimeout} (a client sending one header byte every few seconds is cut off).
 * Two handlers share this state: one before the HTTP codec sees bytes, one after it sees requests and
 * the ends of responses. Everything runs on the connection's event loop.
 */
final class ConnectionDeadline {

    private final ConnectionBudget budget;
    private final long idleNanos;
    private final long headNanos;
    private int requests;
    private int answered;
    private boolean headStarted;
    private ScheduledFuture<?> timer;
    // Read from the accepting thread when evicting: 0 while a request is in progress.
    private volatile long waitingSince;

    ConnectionDeadline(ConnectionBudget budget, Duration idleTimeout, Duration headTimeout) {
        this.budget = budget;
        this.idleNanos = idleTimeout.toNanos();
        this.headNanos = headTimeout.toNanos();
    }

    /** When this connection began waiting for a request; 0 while one is in progress. */
    long idleSince() {
        return waitingSince;
    }

    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                waiting(ctx);
                budget.opened(ctx.channel(), ConnectionDeadline.this);
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (!headStarted && requests == answered && msg instanceof ByteBuf buf && buf.isReadable()) {
                    headStarted = true;
                    arm(ctx, headNanos, ConnectionBudget.Reason.head);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel();
                budget.closed(ctx.channel());
                super.channelInactive(ctx);
            }
        };
    }

    ChannelDuplexHandler requests() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof HttpRequest) {
                    requests++;
                    cancel();
                    waitingSince = 0;
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                if (msg instanceof LastHttpContent && ++answered == requests) {
                    waiting(ctx);
                }
                super.write(ctx, msg, promise);
            }
        };
    }

    private void waiting(ChannelHandlerContext ctx) {
        headStarted = false;
        waitingSince = System.nanoTime();
        arm(ctx, idleNanos, ConnectionBudget.Reason.idle);
    }

    private void arm(ChannelHandlerContext ctx, long nanos, ConnectionBudget.Reason reason) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            if (requests == answered) {
                budget.timedOut(ctx.channel(), reason);
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}

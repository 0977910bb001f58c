package io.bantin.system;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * Hands a long response to its connection only while the connection is writable. Netty queues every
 * write to a socket the client does not read in its outbound buffer, as a direct-memory copy; Reactor
 * Netty keeps writing up to 128 items whatever the socket does. Through this gate, what a client does
 * not read stays upstream (a subscriber's bounded queue, a database cursor), and a connection holds at
 * most its write buffer's high-water mark plus one slice in direct memory.
 */
public final class OutboundGate {

    private static final String HANDLER = "bantin.writability";

    private OutboundGate() {
    }

    /** {@code frames} cut into slices of at most {@code slice} bytes, each wrapped, never copied. */
    public static Flux<DataBuffer> slices(Flux<byte[]> frames, int slice, DataBufferFactory buffers) {
        return frames.concatMapIterable(frame -> {
            if (frame.length <= slice) {
                return List.of(buffers.wrap(frame));
            }
            List<DataBuffer> parts = new ArrayList<>(frame.length / slice + 1);
            for (int at = 0; at < frame.length; at += slice) {
                parts.add(buffers.wrap(ByteBuffer.wrap(frame, at, Math.min(slice, frame.length - at)).slice()));
            }
            return parts;
        }, 1);
    }

    /** Passes each item on once {@code channel} is writable (or closed), asking upstream for one at a time. */
    public static <T> Flux<T> whenWritable(Flux<T> items, Channel channel) {
        return items.concatMap(item -> writable(channel).thenReturn(item), 0);
    }

    /** Completes on the channel's event loop as soon as it is writable or closed. */
    static Mono<Void> writable(Channel channel) {
        return Mono.create(sink -> {
            if (channel.eventLoop().inEventLoop()) {
                admit(channel, sink); // keeps a burst in one flush: no hop between frames
            }
            else {
                channel.eventLoop().execute(() -> admit(channel, sink));
            }
        });
    }

    /**
     * Runs {@code then} on the channel's event loop once it is writable again (or closed). Call it on the
     * event loop, when the channel is not writable: a stream's writer waits this way, with no operator chain.
     */
    public static void onWritable(Channel channel, Runnable then) {
        Waiters waiters = (Waiters) channel.pipeline().get(HANDLER);
        if (waiters == null) {
            waiters = new Waiters();
            channel.pipeline().addFirst(HANDLER, waiters);
        }
        waiters.waiting.add(then);
    }

    private static void admit(Channel channel, MonoSink<Void> sink) {
        if (channel.isWritable() || !channel.isActive()) {
            sink.success();
            return;
        }
        onWritable(channel, sink::success);
    }

    /** Releases whoever waits for the channel once it drains below its low-water mark, or closes. */
    private static final class Waiters extends ChannelInboundHandlerAdapter {

        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel().isWritable()) {
                releaseAll();
            }
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            releaseAll();
            super.channelInactive(ctx);
        }

        private void releaseAll() {
            // Those released may write and wait again at once: they queue for the next change, not this one.
            List<Runnable> released = new ArrayList<>(waiting);
            waiting.clear();
            released.forEach(Runnable::run);
        }
    }
}

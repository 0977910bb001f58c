package io.bantin.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpServerCodec;
import reactor.core.publisher.MonoSink;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A direct stream's way onto its HTTP/1.1 connection: the headers go through Reactor Netty, then every frame
 * as a ready-made HTTP chunk written under the HTTP codec, one flush per burst.
 * <p>
 * Through Reactor Netty's {@code send}, each delivery cost a promise, a promise combiner, three buffers (the
 * chunk's size line, the frame, its CRLF), a copy of the frame into direct memory and a flush task: most of a
 * delivery's CPU and allocation once 10,000 streams shared an event. A live event's chunk is now encoded once,
 * into direct memory that every stream shares ({@link #shared}); a write costs one small duplicate. The bytes
 * on the wire are the codec's own: {@code size CRLF frame CRLF}, then Reactor Netty ends the response as before.
 */
final class ChunkWriter {

    private static final byte[] CRLF = {'\r', '\n'};

    private final HttpServerResponse response;
    private final ChannelHandlerContext codec;
    private final Function<StreamEvent, ByteBuf> chunks;
    private final Function<StreamEvent, byte[]> frames;
    private MonoSink<Void> end;
    private boolean compressed;

    private ChunkWriter(HttpServerResponse response, ChannelHandlerContext codec, Function<StreamEvent, ByteBuf> chunks,
            Function<StreamEvent, byte[]> frames) {
        this.response = response;
        this.codec = codec;
        this.chunks = chunks;
        this.frames = frames;
    }

    /**
     * A writer for {@code channel}'s response, or null unless it is plain HTTP/1.1 (HTTP/2 has no chunks).
     * {@code chunks} gives each event's chunk, {@code frames} the same frame bare.
     */
    static ChunkWriter of(HttpServerResponse response, Channel channel, Function<StreamEvent, ByteBuf> chunks,
            Function<StreamEvent, byte[]> frames) {
        ChannelHandlerContext codec = channel.pipeline().context(NettyPipeline.HttpCodec);
        return codec != null && codec.handler() instanceof HttpServerCodec
                ? new ChunkWriter(response, codec, chunks, frames) : null;
    }

    /** The response ends through {@code end}: Reactor Netty then writes the last chunk and keeps the connection. */
    void endsWith(MonoSink<Void> end) {
        this.end = end;
    }

    /**
     * Sends the headers the ordinary way, so Reactor Netty knows the response has begun and ends it with
     * the last chunk; {@code then} runs on the event loop once they are written, {@code failed} if they cannot be.
     */
    void open(Runnable then, Consumer<Throwable> failed) {
        response.sendHeaders().then().subscribe(null, failed, () -> {
            // Compression is configured for JSON only; were it set for streams, the encoder must see the frames.
            compressed = codec.pipeline().get(NettyPipeline.CompressionHandler) != null;
            then.run();
        });
    }

    /** Writes {@code event}'s chunk; on the event loop, after {@link #open}. */
    void write(StreamEvent event) {
        // A failed write closes the connection, which cancels this stream: nobody waits on a promise.
        if (compressed) {
            codec.channel().write(new DefaultHttpContent(Unpooled.wrappedBuffer(frames.apply(event))), codec.voidPromise());
        }
        else {
            codec.write(chunks.apply(event), codec.voidPromise());
        }
    }

    void flush() {
        if (compressed) {
            codec.channel().flush();
        }
        else {
            codec.flush();
        }
    }

    void complete() {
        end.success();
    }

    void fail(Throwable error) {
        end.error(error);
    }

    /**
     * {@code frame} as one chunk in direct memory shared by every stream: it is never released (the garbage
     * collector frees it with its event), and each write gets a duplicate with its own read position.
     */
    static ByteBuf shared(byte[] frame) {
        ByteBuffer memory = ByteBuffer.allocateDirect(frame.length + 12);
        memory.put(sizeLine(frame.length)).put(frame).put(CRLF).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(memory));
    }

    /** {@code frame} as one chunk for a single write (an event from the log, read for one stream). */
    static ByteBuf once(byte[] frame) {
        byte[] size = sizeLine(frame.length);
        byte[] chunk = new byte[size.length + frame.length + 2];
        System.arraycopy(size, 0, chunk, 0, size.length);
        System.arraycopy(frame, 0, chunk, size.length, frame.length);
        System.arraycopy(CRLF, 0, chunk, chunk.length - 2, 2);
        return Unpooled.wrappedBuffer(chunk);
    }

    private static byte[] sizeLine(int length) {
        return (Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}

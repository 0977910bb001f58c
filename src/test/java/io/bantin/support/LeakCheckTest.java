package io.bantin.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which Netty leak reports count against the budget for r2dbc-postgresql's unsent statement parameters. */
class LeakCheckTest {

    @Test
    void aParameterLastWrittenByItsCodecIsAnUnsentStatementParameter() {
        String leak = """
                LEAK of ByteBuf:

                Recent access records:\s
                #1:
                \tio.netty.buffer.AdvancedLeakAwareByteBuf.writeLong(AdvancedLeakAwareByteBuf.java:575)
                \tio.r2dbc.postgresql.codec.AbstractNumericCodec.doEncodeNumber(AbstractNumericCodec.java:106)
                \tio.r2dbc.postgresql.codec.AbstractNumericCodec.lambda$doEncode$1(AbstractNumericCodec.java:83)
                \treactor.core.publisher.MonoSupplier$MonoSupplierSubscription.request(MonoSupplier.java:123)
                Created at:
                \tio.netty.buffer.PooledByteBufAllocator.newDirectBuffer(PooledByteBufAllocator.java:410)
                """;
        assertThat(LeakCheck.unsentStatementParameter(leak)).isTrue();
    }

    @Test
    void aBufferTouchedAfterItsCodecOrNeverByOneIsAnyOtherLeak() {
        String read = """
                LEAK of ByteBuf:

                Recent access records:\s
                #1:
                \tio.netty.buffer.AdvancedLeakAwareByteBuf.readBytes(AdvancedLeakAwareByteBuf.java:500)
                \treactor.netty.channel.FluxReceive.drainReceiver(FluxReceive.java:296)
                #2:
                \tio.netty.buffer.AdvancedLeakAwareByteBuf.writeLong(AdvancedLeakAwareByteBuf.java:575)
                \tio.r2dbc.postgresql.codec.AbstractNumericCodec.doEncodeNumber(AbstractNumericCodec.java:106)
                Created at:
                \tio.netty.buffer.PooledByteBufAllocator.newDirectBuffer(PooledByteBufAllocator.java:410)
                """;
        String created = """
                LEAK of ByteBuf:
                Created at:
                \tio.netty.buffer.PooledByteBufAllocator.newDirectBuffer(PooledByteBufAllocator.java:410)
                \tio.r2dbc.postgresql.codec.AbstractNumericCodec.doEncodeNumber(AbstractNumericCodec.java:106)
                """;
        assertThat(LeakCheck.unsentStatementParameter(read)).isFalse();
        assertThat(LeakCheck.unsentStatementParameter(created)).isFalse();
    }
}

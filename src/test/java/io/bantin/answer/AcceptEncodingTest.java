package io.bantin.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Reading {@code Accept-Encoding} as clients send it, odd ones included. */
class AcceptEncodingTest {

    @Test
    void gzipIsAcceptedUnlessRefusedWithQZero() {
        assertThat(Answers.acceptsGzip(List.of("gzip, deflate, br"))).isTrue();
        assertThat(Answers.acceptsGzip(List.of("br;q=1.0, X-GZIP;q=0.5"))).isTrue();
        assertThat(Answers.acceptsGzip(List.of("identity", "gzip"))).isTrue();
        assertThat(Answers.acceptsGzip(List.of("gzip;q=0"))).isFalse();
        assertThat(Answers.acceptsGzip(List.of("gzip ; q = 0.000"))).isFalse();
        assertThat(Answers.acceptsGzip(List.of("br"))).isFalse();
        assertThat(Answers.acceptsGzip(List.of())).isFalse();
    }

    @Test
    void emptyCodingsAndBareParametersAreNoCodingNotAFailure() {
        // Sent by a generated request: "Accept-Encoding: ;" once made every cached read answer 500.
        assertThat(Answers.acceptsGzip(List.of(";"))).isFalse();
        assertThat(Answers.acceptsGzip(List.of(""))).isFalse();
        assertThat(Answers.acceptsGzip(List.of(",;,"))).isFalse();
        assertThat(Answers.acceptsGzip(List.of(";q=1, gzip"))).isTrue();
    }
}

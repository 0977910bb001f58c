package io.bantin.grip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Only a Grip-Sig that Pushpin signed with the configured key, and that has not expired, counts. */
class GripSignatureTest {

    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private static final String KEY = "changeme-but-longer";

    private static String token(long exp, String key) {
        return GripSignature.sign("{\"iss\":\"pushpin\",\"exp\":" + exp + "}", key);
    }

    @Test
    void aTokenSignedWithTheKeyAndNotExpiredIsValid() {
        assertThat(GripSignature.valid(token(NOW.getEpochSecond() + 60, KEY), KEY, NOW)).isTrue();
    }

    @Test
    void anotherKeyAnExpiryPassedOrAnUnsignedTokenAreNot() {
        assertThat(GripSignature.valid(token(NOW.getEpochSecond() + 60, "another-key"), KEY, NOW)).isFalse();
        assertThat(GripSignature.valid(token(NOW.getEpochSecond() - 1, KEY), KEY, NOW)).isFalse();
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String unsigned = base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"exp\":" + (NOW.getEpochSecond() + 60) + "}").getBytes(StandardCharsets.UTF_8)) + ".";
        assertThat(GripSignature.valid(unsigned, KEY, NOW)).isFalse();
        assertThat(GripSignature.valid("garbage", KEY, NOW)).isFalse();
        assertThat(GripSignature.valid(token(NOW.getEpochSecond() + 60, KEY), "", NOW)).isFalse();
    }
}

package io.bantin.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void roundTripsToTheMicrosecond() {
        Cursor cursor = new Cursor(Instant.parse("2024-03-15T02:30:00.123456Z"),
                UUID.fromString("01a21a25-1c3f-7fe4-8463-b7ee99a6c8b7"));
        assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void refusesForgedCursorsAsBadRequests() {
        String forged = Base64.getUrlEncoder().encodeToString("v1:abc:not-a-uuid".getBytes());
        for (String text : new String[] {"%%%", "bm9wZQ", forged, Base64.getUrlEncoder().encodeToString("v9:1:x".getBytes())}) {
            assertThatThrownBy(() -> Cursor.decode(text)).isInstanceOfSatisfying(ProblemException.class,
                    e -> assertThat(e.status().value()).isEqualTo(400));
        }
    }
}

package io.bantin.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.bantin.BantinApplication;

/** A weak admin token stops start-up with one clear message; a strong one passes the rule. */
@ExtendWith(OutputCaptureExtension.class)
class AdminTokenRuleTest {

    @Test
    void placeholdersShortAndRepetitiveTokensAreWeak() {
        assertThat(AdminTokenRule.weakness("change-me")).contains("fewer than 16");
        assertThat(AdminTokenRule.weakness("change-me-change-me")).contains("change-me");
        assertThat(AdminTokenRule.weakness("test-admin-token")).contains("admin-token");
        assertThat(AdminTokenRule.weakness("abababababababababab")).contains("too few different");
        assertThat(AdminTokenRule.weakness("MyPassword-2026-Portal")).contains("password");
        assertThat(AdminTokenRule.weakness("3f9c1e27b3d8a605c4e1")).isNull();
        assertThat(AdminTokenRule.weakness("test-9c4f1e27b3d8a605")).isNull();
    }

    @Test
    void serverRefusesToStartWithTheOldReadmeToken(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(BantinApplication.class).profiles("test")
                .run("--server.port=0", "--bantin.admin-token=change-me").close())
                .hasRootCauseInstanceOf(WeakAdminTokenException.class);
        assertThat(output.getAll()).contains(
                "bantin.admin-token (BANTIN_ADMIN_TOKEN) is too weak: it has 9 characters, fewer than 16.")
                .contains("BANTIN_ADMIN_TOKEN=$(openssl rand -hex 24)");
    }
}

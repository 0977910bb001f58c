package io.bantin.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import io.bantin.support.IntegrationTest;

@IntegrationTest
class ConnectionSettingsTest {

    @Autowired
    DatabaseClient db;

    @Test
    void pooledConnectionsPlanEveryQueryForItsOwnParameters() {
        String mode = db.sql("SELECT current_setting('plan_cache_mode')").map(row -> row.get(0, String.class))
                .one().block();
        assertThat(mode).isEqualTo("force_custom_plan");
    }
}

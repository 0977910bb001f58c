package io.bantin.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Versions per scope, fed change by change as the bus does, without a database. */
class ScopeVersionsTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);

    private static ScopeVersions versions(int rememberedScopes) {
        ChangeProperties properties = new ChangeProperties(Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(5), rememberedScopes);
        ScopeVersions versions = new ScopeVersions(null, properties);
        versions.following(10, T0); // the log's end at start-up
        return versions;
    }

    private static Change change(long seq, Instant at, String... scopes) {
        return new Change(seq, Change.Kind.published, UUID.randomUUID(), at, Set.of(scopes),
                new Change.Terms(null, List.of()), null, "{}");
    }

    private static ScopeVersions.Version of(ScopeVersions versions, String... scopes) {
        return versions.version(Set.of(scopes), false);
    }

    @Test
    void aChangeMovesItsScopesOnlyAndASetMovesWithAnyOfItsScopes() {
        ScopeVersions versions = versions(1000);
        ScopeVersions.Version baseline = of(versions, "category:b");
        assertThat(of(versions, "category:a")).isEqualTo(baseline);
        assertThat(baseline.lastModified()).isEqualTo(T0);

        versions.changed(change(11, T0.plusMillis(2500), Scopes.SITE, "category:a"));

        assertThat(of(versions, "category:b")).as("untouched since start-up: the baseline").isEqualTo(baseline);
        assertThat(of(versions, "category:a").id()).startsWith("11.").isNotEqualTo(baseline.id());
        assertThat(of(versions, "category:a").lastModified()).isEqualTo(T0.plusSeconds(2));
        assertThat(of(versions, "category:b", Scopes.SITE)).isEqualTo(of(versions, "category:a"));

        versions.changed(change(12, T0.plusSeconds(5), "category:b"));
        assertThat(of(versions, "category:a").id()).startsWith("11.");
        assertThat(of(versions, "category:a", "category:b").id()).startsWith("12.");
    }

    @Test
    void lastModifiedMovesForwardPerScopeEvenWhenChangesShareASecondOrArriveOlder() {
        ScopeVersions versions = versions(1000);
        versions.changed(change(11, T0.plusSeconds(3), "tag:x"));
        Instant first = of(versions, "tag:x").lastModified();
        // Logged with its transaction's start time: older than the change before it, and in the same second.
        versions.changed(change(12, T0.plusSeconds(2), "tag:x"));
        Instant second = of(versions, "tag:x").lastModified();
        versions.changed(change(13, T0.plusSeconds(3).plusMillis(10), "tag:x"));
        assertThat(second).isAfter(first);
        assertThat(of(versions, "tag:x").lastModified()).isAfter(second);
        assertThat(of(versions, "tag:y").lastModified()).as("another scope keeps its own").isEqualTo(T0);
    }

    @Test
    void pastTheRememberedScopesEveryScopeSharesTheNewestVersionAndNothingGoesBack() {
        ScopeVersions versions = versions(3);
        versions.changed(change(11, T0.plusSeconds(1), "tag:a", "tag:b"));
        ScopeVersions.Version c = of(versions, "tag:c");
        versions.changed(change(12, T0.plusSeconds(2), "tag:c", "tag:d"));
        assertThat(of(versions, "tag:a").id()).as("forgotten: the raised baseline").startsWith("12.");
        assertThat(of(versions, "tag:zzz").id()).startsWith("12.");
        assertThat(of(versions, "tag:a").lastModified()).isAfterOrEqualTo(T0.plusSeconds(2));
        assertThat(of(versions, "tag:c")).isNotEqualTo(c);
    }

    @Test
    void aChangeWithoutKnownScopesMovesEverything() {
        ScopeVersions versions = versions(1000);
        versions.changed(new Change(11, Change.Kind.updated, UUID.randomUUID(), T0.plusSeconds(1), null,
                new Change.Terms(null, List.of()), null, "{}"));
        assertThat(of(versions, "category:never-seen").id()).startsWith("11.");
    }
}

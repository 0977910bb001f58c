package io.bantin.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Versions per scope, fed as the log and the bus do, without a database. */
class ScopeVersionsTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);

    private static ScopeVersions versions(int rememberedScopes) {
        ChangeProperties properties = new ChangeProperties(Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(5), rememberedScopes);
        ScopeVersions versions = new ScopeVersions(null, null, properties);
        versions.following(10, T0); // the log's end at start-up
        return versions;
    }

    /** What the log answers for a scope on first use: the newest kept event touching it. */
    private static void read(ScopeVersions versions, String scope, long seq, Instant at) {
        versions.learn(scope, ScopeVersions.Entry.of(seq, at));
    }

    private static Change change(long seq, Instant at, String... scopes) {
        return new Change(seq, Change.Kind.published, UUID.randomUUID(), at, Set.of(scopes),
                new Change.Terms(null, List.of()), null, "{}");
    }

    private static ScopeVersions.Version of(ScopeVersions versions, String... scopes) {
        return versions.version(Set.of(scopes), false);
    }

    @Test
    void aScopeNeverLookedUpHasNoVersionYetAndOneReadFromTheLogIsTheSameOnEveryInstance() {
        ScopeVersions early = versions(1000);
        ScopeVersions late = versions(1000);
        late.following(40, T0.plusSeconds(30)); // started later: the log's end had moved on
        assertThat(of(early, "category:b")).isNull();
        read(early, "category:b", 7, T0.minusSeconds(100));
        read(late, "category:b", 7, T0.minusSeconds(100));
        assertThat(of(early, "category:b")).isEqualTo(of(late, "category:b"));
        assertThat(of(early, "category:b").id()).startsWith("7.");
        read(early, "tag:none", 0, T0.minusSeconds(500));
        assertThat(of(early, "tag:none").id()).isEqualTo("0");
    }

    @Test
    void aChangeMovesItsScopesOnlyAndASetMovesWithAnyOfItsScopes() {
        ScopeVersions versions = versions(1000);
        read(versions, "category:b", 5, T0.minusSeconds(10));
        read(versions, "category:a", 6, T0.minusSeconds(5));
        read(versions, Scopes.SITE, 6, T0.minusSeconds(5));
        ScopeVersions.Version b = of(versions, "category:b");

        versions.changed(change(11, T0.plusMillis(2500), Scopes.SITE, "category:a"));

        assertThat(of(versions, "category:b")).as("untouched").isEqualTo(b);
        assertThat(of(versions, "category:a").id()).startsWith("11.");
        assertThat(of(versions, "category:a").lastModified()).isEqualTo(T0.plusSeconds(2));
        assertThat(of(versions, "category:b", Scopes.SITE)).isEqualTo(of(versions, "category:a"));

        versions.changed(change(12, T0.plusSeconds(5), "category:b"));
        assertThat(of(versions, "category:a").id()).startsWith("11.");
        assertThat(of(versions, "category:a", "category:b").id()).startsWith("12.");
    }

    @Test
    void aLookUpThatReadTheLogBeforeAChangeKeepsTheChange() {
        ScopeVersions versions = versions(1000);
        versions.changed(change(11, T0.plusSeconds(1), "tag:x"));
        read(versions, "tag:x", 9, T0);
        assertThat(of(versions, "tag:x").id()).startsWith("11.");
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
    }

    @Test
    void pastTheRememberedScopesEveryScopeIsReadFromTheLogAgain() {
        ScopeVersions versions = versions(3);
        versions.changed(change(11, T0.plusSeconds(1), "tag:a", "tag:b"));
        versions.changed(change(12, T0.plusSeconds(2), "tag:c", "tag:d"));
        assertThat(of(versions, "tag:a")).as("forgotten").isNull();
        assertThat(versions.version(Set.of("tag:a"), true).id()).as("stale: the newest seen").startsWith("12.");
    }

    @Test
    void aChangeWithoutKnownScopesMovesEverything() {
        ScopeVersions versions = versions(1000);
        read(versions, "category:seen", 3, T0.minusSeconds(9));
        versions.changed(new Change(11, Change.Kind.updated, UUID.randomUUID(), T0.plusSeconds(1), null,
                new Change.Terms(null, List.of()), null, "{}"));
        assertThat(of(versions, "category:seen").id()).startsWith("11.");
    }
}

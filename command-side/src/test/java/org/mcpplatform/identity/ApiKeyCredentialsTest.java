package org.mcpplatform.identity;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.eventstore.EventStoreNodes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API key credentials against a real in-process MongoDB. */
class ApiKeyCredentialsTest {

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private EventStoreConnection database;
    private ApiKeyCredentials keys;

    @BeforeEach
    void setUp() {
        database = new EventStoreConnection(EventStoreNodes.properties(Duration.ofSeconds(10)));
        keys = new ApiKeyCredentials(database.database().getCollection(UserCommandConfiguration.API_KEY_CREDENTIALS));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void aStoredKeyIsFoundWithItsOwnerHashAndExpiry() {
        keys.store("k-1", "u-1", HASH, T0.plus(Duration.ofDays(30)));
        keys.store("k-2", "u-1", HASH, null);
        assertThat(keys.find("k-1"))
                .contains(new ApiKeyCredential("k-1", "u-1", HASH, T0.plus(Duration.ofDays(30)), null, null));
        assertThat(keys.find("k-2").orElseThrow().expiresAt()).isNull();
        assertThat(keys.find("k-3")).isEmpty();
    }

    @Test
    void aKeyIdIsStoredOnce() {
        keys.store("k-1", "u-1", HASH, null);
        assertThatThrownBy(() -> keys.store("k-1", "u-2", "other", null)).isInstanceOf(ConflictException.class);
        assertThat(keys.find("k-1").orElseThrow().userId()).isEqualTo("u-1");
    }

    @Test
    void aDeletedKeyIsGone() {
        keys.store("k-1", "u-1", HASH, null);
        keys.delete("k-1");
        assertThat(keys.find("k-1")).isEmpty();
    }

    @Test
    void aKeyIsUsableUntilItExpires() {
        keys.store("k-1", "u-1", HASH, T0);
        ApiKeyCredential key = keys.find("k-1").orElseThrow();
        assertThat(key.usableAt(T0.minusMillis(1))).isTrue();
        assertThat(key.usableAt(T0)).isFalse();
    }

    @Test
    void aRevokedKeyIsUnusableAndKeepsItsFirstRevocationTime() {
        keys.store("k-1", "u-1", HASH, null);
        keys.markRevoked("k-1", T0);
        keys.markRevoked("k-1", T0.plusSeconds(60));
        ApiKeyCredential key = keys.find("k-1").orElseThrow();
        assertThat(key.revokedAt()).isEqualTo(T0);
        assertThat(key.usableAt(T0.minusSeconds(60))).isFalse();
    }

    @Test
    void unmarkingARevocationMakesTheKeyUsableAgain() {
        keys.store("k-1", "u-1", HASH, null);
        keys.markRevoked("k-1", T0);
        keys.unmarkRevoked("k-1");
        assertThat(keys.find("k-1").orElseThrow().usableAt(T0)).isTrue();
    }

    @Test
    void usesAreRecordedInOneBatchAndReadBack() {
        keys.store("k-1", "u-1", HASH, null);
        keys.store("k-2", "u-1", HASH, null);
        keys.store("k-3", "u-1", HASH, null);
        keys.recordUse(Map.of("k-1", T0, "k-2", T0.plusSeconds(5)));
        assertThat(keys.lastUsed(List.of("k-1", "k-2", "k-3", "unknown")))
                .isEqualTo(Map.of("k-1", T0, "k-2", T0.plusSeconds(5)));
        assertThat(keys.find("k-2").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aLateBatchNeverMovesTheLastUseBackInTime() {
        keys.store("k-1", "u-1", HASH, null);
        keys.recordUse(Map.of("k-1", T0.plusSeconds(10)));
        keys.recordUse(Map.of("k-1", T0));
        assertThat(keys.lastUsed(List.of("k-1"))).isEqualTo(Map.of("k-1", T0.plusSeconds(10)));
        keys.recordUse(Map.of("k-1", T0.plusSeconds(20)));
        assertThat(keys.lastUsed(List.of("k-1"))).isEqualTo(Map.of("k-1", T0.plusSeconds(20)));
    }

    @Test
    void recordingTheUseOfAnUnknownKeyCreatesNothing() {
        keys.recordUse(Map.of("deleted", T0));
        keys.recordUse(Map.of());
        assertThat(keys.find("deleted")).isEmpty();
        assertThat(keys.lastUsed(List.of())).isEmpty();
    }

    @Test
    void theHashIsNeverPrinted() {
        assertThat(new ApiKeyCredential("k-1", "u-1", HASH, null, null, null).toString())
                .doesNotContain(HASH).contains("k-1", "u-1");
    }
}

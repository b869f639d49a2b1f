package org.mcpplatform.identity;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each API key was last used, kept in memory and written to the credential store once per flush period, so that
 * a request authenticated by a key costs no database write. A crash loses at most one period of "last used" times,
 * which only ever makes them look older.
 */
public class ApiKeyUse implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyUse.class);

    private final ApiKeyCredentials credentials;
    private final Duration flushPeriod;
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();

    public ApiKeyUse(ApiKeyCredentials credentials, Duration flushPeriod) {
        this.credentials = credentials;
        this.flushPeriod = flushPeriod;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::flushQuietly, flushPeriod);
    }

    public void record(String keyId, Instant at) {
        pending.merge(keyId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Last use per key, including uses not written yet. */
    public Map<String, Instant> lastUsed(Collection<String> keyIds) {
        Map<String, Instant> result = new HashMap<>(credentials.lastUsed(keyIds));
        for (String keyId : keyIds) {
            Instant recent = pending.get(keyId);
            if (recent != null) {
                result.merge(keyId, recent, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return result;
    }

    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = new HashMap<>();
        for (String keyId : pending.keySet()) {
            Instant at = pending.remove(keyId);
            if (at != null) {
                batch.put(keyId, at);
            }
        }
        try {
            credentials.recordUse(batch);
        } catch (RuntimeException e) {
            batch.forEach(this::record);
            throw e;
        }
    }

    void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Could not record the last use of API keys, will retry: {}", e.toString());
        }
    }

    @PreDestroy
    public void close() {
        flushQuietly();
    }
}

package org.mcpplatform.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.mcpplatform.security.PlatformUser;
import org.mcpplatform.security.TokenAuthentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.scheduling.TaskScheduler;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * Every heartbeat interval: a heartbeat to each open connection (so that proxies keep it open and a vanished client
 * is noticed when the write fails), and a check of each connection's credential: an expired access token, a
 * revoked API key, an ended login session or a deactivated account closes the connection, and a changed role applies
 * to what it receives from then on.
 */
public class LiveMaintenance implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LiveMaintenance.class);

    private final LiveHub hub;
    private final TokenAuthentication authentication;
    private final LiveProperties properties;
    private final TaskScheduler scheduler;
    private final ObjectMapper json;
    private ScheduledFuture<?> task;

    public LiveMaintenance(LiveHub hub, TokenAuthentication authentication, LiveProperties properties,
                           TaskScheduler scheduler, ObjectMapper json) {
        this.hub = hub;
        this.authentication = authentication;
        this.properties = properties;
        this.scheduler = scheduler;
        this.json = json;
    }

    @Override
    public void afterPropertiesSet() {
        task = scheduler.scheduleAtFixedRate(this::run, properties.heartbeatInterval());
    }

    @Override
    public void destroy() {
        if (task != null) {
            task.cancel(false);
        }
    }

    void run() {
        String heartbeat = json.createObjectNode().put("type", "heartbeat").put("timestamp", Instant.now().toString())
                               .toString();
        for (LiveConnection connection : hub.connections()) {
            try {
                if (stillAllowed(connection)) {
                    connection.send(new LiveConnection.Outgoing(heartbeat, null, true));
                }
            } catch (RuntimeException e) {
                log.warn("Live connection upkeep failed for {}", connection.connectionId(), e);
            }
        }
    }

    private boolean stillAllowed(LiveConnection connection) {
        Instant expiresAt = connection.credentialExpiresAt();
        if (expiresAt != null && expiresAt.isBefore(Instant.now())) {
            connection.close("the access token expired: reconnect, or send a fresh one before it expires", true);
            return false;
        }
        PlatformUser user = connection.user();
        Optional<PlatformUser> now = authentication.current(user);
        if (now.isEmpty()) {
            connection.close("the credential was revoked or the account deactivated", true);
            return false;
        }
        if (now.get().role() != user.role()) {
            connection.authenticated(now.get());
        }
        return true;
    }
}

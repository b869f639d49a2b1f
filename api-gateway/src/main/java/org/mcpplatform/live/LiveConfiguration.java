package org.mcpplatform.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.mcpplatform.security.TokenAuthentication;
import org.mcpplatform.web.ErrorResponses;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

import java.time.Instant;

/**
 * Live events: the relay that follows the event store, the fan-out between nodes (RabbitMQ when
 * {@code mcp.live.rabbitmq-url} is set, else in-process), the hub of this node's subscribers, {@code /ws} and the
 * maintenance of open connections.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class LiveConfiguration implements WebSocketConfigurer {

    /** Largest message a client may send (an auth message carries a token of at most 8 KB). */
    private static final int MAX_INBOUND_MESSAGE = 64 * 1024;

    private final LiveWebSocketHandler webSocketHandler;
    private final BearerSubprotocolHandshake handshake;

    public LiveConfiguration(LiveHub hub, TopicAccess access, TokenAuthentication authentication, ObjectMapper json,
                             LiveProperties properties, LiveSenders senders, LiveTimers timers,
                             ErrorResponses errors) {
        this.webSocketHandler = new LiveWebSocketHandler(hub, access, authentication, json, properties, senders,
                                                         timers.scheduler());
        this.handshake = new BearerSubprotocolHandshake(authentication, errors);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // tokens, not cookies, authenticate the socket: a page on another origin gains nothing it was not given
        registry.addHandler(webSocketHandler, "/ws")
                .setHandshakeHandler(handshake)
                .addInterceptors(handshake)
                .setAllowedOriginPatterns("*");
    }

    @Bean
    public static ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(MAX_INBOUND_MESSAGE);
        container.setMaxBinaryMessageBufferSize(MAX_INBOUND_MESSAGE);
        return container;
    }

    @Bean
    public static LiveSenders liveSenders() {
        return new LiveSenders(256);
    }

    @Bean
    public static LiveTimers liveTimers() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix("live-timer-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        return new LiveTimers(scheduler);
    }

    @Bean
    public static LiveEvents liveEvents(ObjectMapper json) {
        return new LiveEvents(json);
    }

    @Bean
    public static LiveHub liveHub(TopicAccess access, ObjectMapper json, LiveProperties properties,
                                  MeterRegistry meters) {
        return new LiveHub(access, json, properties, meters);
    }

    @Bean
    public static LiveFanOut liveFanOut(LiveProperties properties, ObjectMapper json, LiveHub hub) {
        return properties.fanOutThroughRabbitMq() ? new RabbitFanOut(properties, json, hub) : new InProcessFanOut(hub);
    }

    @Bean
    public static LiveEventRelay liveEventRelay(LiveEvents events, LiveFanOut fanOut) {
        return new LiveEventRelay(events, fanOut);
    }

    @Bean
    public static LiveMaintenance liveMaintenance(LiveHub hub, TokenAuthentication authentication,
                                                  LiveProperties properties, LiveTimers timers, ObjectMapper json) {
        return new LiveMaintenance(hub, authentication, properties, timers.scheduler(), json);
    }

    /**
     * The relay's processor starts, the first time, at the events stored since this node started (subscribers want
     * what happens from now on; history is read through SSE resumption or the audit log). Not at the head: the token
     * is made when the processor first runs, a moment after the node began taking commands, and the head then would
     * skip their events. Errors propagate: a batch whose events could not be handed to the fan-out is retried, never
     * skipped.
     */
    @Autowired
    public void configureRelayProcessor(EventProcessingConfigurer processing) {
        Instant startUp = Instant.now();
        processing.registerTrackingEventProcessor(
                          LiveEventRelay.PROCESSING_GROUP,
                          Configuration::eventStore,
                          c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                                                  .andBatchSize(100)
                                                                  .andInitialSegmentsCount(1)
                                                                  .andInitialTrackingToken(
                                                                          source -> source.createTokenAt(startUp)))
                  .registerListenerInvocationErrorHandler(LiveEventRelay.PROCESSING_GROUP,
                                                          c -> PropagatingErrorHandler.instance())
                  .registerErrorHandler(LiveEventRelay.PROCESSING_GROUP, c -> PropagatingErrorHandler.instance());
    }
}

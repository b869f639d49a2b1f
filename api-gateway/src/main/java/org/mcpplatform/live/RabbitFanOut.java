package org.mcpplatform.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The fan-out between nodes: a RabbitMQ topic exchange, and one queue per node bound to all of it.
 * <ul>
 *     <li>Publishing sends a batch of persistent messages and waits for the broker's confirms of all of them; it retries while RabbitMQ cannot be
 *     reached; after {@link #PUBLISH_PATIENCE} it gives up so that the relay's processor backs off and retries the
 *     batch later. An event is therefore published at least once.</li>
 *     <li>A node's queue is durable and outlives a broker restart and short disconnections of the node (RabbitMQ
 *     deletes it once the node has been gone for {@code mcp.live.queue-expires}); the node deletes it on a clean
 *     shutdown. The exchange deletes itself when no node's queue is bound to it any more, and every publisher
 *     declares it again before it publishes after a failure.</li>
 *     <li>Consumers acknowledge after the hub took the event; redeliveries are dropped by the hub by event id.</li>
 * </ul>
 * Hand-written on Spring AMQP rather than axon-amqp: axon-amqp publishes inside the command's unit of work, which loses
 * events when RabbitMQ is down, and consumes only into subscribing processors.
 */
public class RabbitFanOut implements LiveFanOut, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RabbitFanOut.class);
    static final Duration PUBLISH_PATIENCE = Duration.ofSeconds(5);
    private static final long CONFIRM_TIMEOUT_MILLIS = 2_000;

    private final CachingConnectionFactory connections;
    private final RabbitAdmin admin;
    private final RabbitTemplate template;
    private final TopicExchange exchange;
    private final Queue queue;
    private final SimpleMessageListenerContainer consumer;
    private final ObjectMapper json;
    private final LiveHub hub;
    private volatile boolean running;
    private volatile boolean unreachable;

    public RabbitFanOut(LiveProperties properties, ObjectMapper json, LiveHub hub) {
        this.json = json;
        this.hub = hub;
        String node = UUID.randomUUID().toString();
        this.connections = new CachingConnectionFactory(URI.create(properties.rabbitmqUrl()));
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
        connections.setConnectionNameStrategy(factory -> "mcp-platform-live-" + node);
        connections.setConnectionTimeout(2_000);
        this.exchange = new TopicExchange(properties.exchange(), true, true);
        this.queue = QueueBuilder.durable(properties.exchange() + ".node." + node)
                                 .expires((int) Math.min(Integer.MAX_VALUE, properties.queueExpires().toMillis()))
                                 .build();
        Binding binding = BindingBuilder.bind(queue).to(exchange).with("#");
        this.admin = new RabbitAdmin(connections);
        admin.setIgnoreDeclarationExceptions(true);
        // declared again on every new connection, so that a broker restart or an expired exchange heals by itself
        connections.addConnectionListener(connection -> declare(binding));
        this.template = new RabbitTemplate(connections);
        this.consumer = new SimpleMessageListenerContainer(connections);
        consumer.setQueues(queue);
        consumer.setMissingQueuesFatal(false);
        consumer.setRecoveryInterval(1_000);
        consumer.setPrefetchCount(250);
        consumer.setMessageListener(this::received);
    }

    private void declare(Binding binding) {
        try {
            admin.declareExchange(exchange);
            admin.declareQueue(queue);
            admin.declareBinding(binding);
        } catch (AmqpException e) {
            log.warn("Cannot declare the live event exchange and queue yet: {}", e.getMessage());
        }
    }

    public String queueName() {
        return queue.getName();
    }

    @Override
    public void publish(List<LiveEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Message> messages = events.stream().map(this::message).toList();
        long deadline = System.nanoTime() + PUBLISH_PATIENCE.toNanos();
        while (true) {
            try {
                // one channel and one wait for the confirms of the whole batch
                template.invoke(operations -> {
                    for (int i = 0; i < messages.size(); i++) {
                        operations.send(exchange.getName(), routingKey(events.get(i)), messages.get(i));
                    }
                    operations.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
                    return null;
                });
                if (unreachable) {
                    unreachable = false;
                    log.info("RabbitMQ takes live events again");
                }
                return;
            } catch (AmqpException e) {
                if (!unreachable) {
                    unreachable = true;
                    log.warn("Cannot publish live events to RabbitMQ ({}); retrying", e.getMessage());
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    @Override
    public boolean reachable() {
        try {
            return connections.createConnection().isOpen();
        } catch (AmqpException e) {
            return false;
        }
    }

    @Override
    public String kind() {
        return "rabbitmq";
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for RabbitMQ", interrupted);
        }
    }

    private static String routingKey(LiveEvent event) {
        String topic = event.topics().get(0);
        int colon = topic.indexOf(':');
        return (colon < 0 ? topic : topic.substring(0, colon)) + "." + event.type();
    }

    private Message message(LiveEvent event) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(event.eventId());
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        try {
            return new Message(json.writeValueAsBytes(event), properties);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write live event " + event.eventId(), e);
        }
    }

    private void received(Message message) {
        LiveEvent event;
        try {
            event = json.readValue(message.getBody(), LiveEvent.class);
        } catch (IOException e) {
            // a message this version cannot read would be redelivered for ever: drop it, loudly
            log.error("Dropped an unreadable live event message {}: {}", message.getMessageProperties().getMessageId(),
                      e.getMessage());
            return;
        }
        hub.publish(event);
    }

    @Override
    public void start() {
        running = true;
        consumer.start();
    }

    @Override
    public void stop() {
        running = false;
        consumer.stop();
        try {
            admin.deleteQueue(queue.getName());
        } catch (AmqpException e) {
            log.debug("Could not delete this node's live event queue (RabbitMQ expires it): {}", e.getMessage());
        }
        connections.destroy();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after, and stops before, the web server; the relay's processor stops before the fan-out stops. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }
}

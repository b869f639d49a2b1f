package org.mcpplatform.live;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;
import org.mcpplatform.configuration.DataSizeMin;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Settings of the live event streams ({@code mcp.live.*}, a section of
 * {@link org.mcpplatform.configuration.ApiGatewayProperties}): WebSocket {@code /ws}, SSE {@code /api/v1/events} and
 * the fan-out of events between nodes.
 *
 * @param rabbitmqUrl         amqp://user:password@host:port/vhost of the RabbitMQ that fans events out to every node;
 *                            empty: in-process (one node)
 * @param exchange            the topic exchange events are published to
 * @param queueExpires        a node's queue is deleted by RabbitMQ after the node has been gone this long
 * @param heartbeatInterval   a heartbeat message (WebSocket) or comment (SSE) is sent this often
 * @param authTimeout         a WebSocket that has not authenticated within this time is closed
 * @param sendBuffer          what may wait to be sent to one connection; a client that does not read is cut off
 *                            when its buffer is full
 * @param sendTimeout         one write to a connection may block this long before the connection is closed
 * @param maxConnectionsPerUser open WebSocket and SSE connections one user may hold on a node
 * @param dedupWindow         event ids remembered per node to drop events RabbitMQ delivers twice
 */
public record LiveProperties(@Pattern(regexp = "(amqps?://.+)?",
                                      message = "an AMQP URL such as amqp://user:password@rabbitmq:5672/vhost (amqps:// "
                                              + "for TLS), or nothing to fan events out in this process")
                             String rabbitmqUrl,
                             @NotBlank String exchange,
                             @NotNull @DurationMin(seconds = 10) Duration queueExpires,
                             @NotNull @DurationMin(millis = 100) Duration heartbeatInterval,
                             @NotNull @DurationMin(millis = 100) Duration authTimeout,
                             @NotNull @DataSizeMin(bytes = 1024) DataSize sendBuffer,
                             @NotNull @DurationMin(millis = 100) Duration sendTimeout,
                             @Min(1) int maxConnectionsPerUser,
                             @Min(1000) int dedupWindow) {

    public LiveProperties {
        rabbitmqUrl = rabbitmqUrl == null || rabbitmqUrl.isBlank() ? null : rabbitmqUrl.strip();
    }

    public boolean fanOutThroughRabbitMq() {
        return rabbitmqUrl != null;
    }
}

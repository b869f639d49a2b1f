package org.mcpplatform.live;

import io.swagger.v3.oas.annotations.Operation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.mcpplatform.broadcast.SendBroadcast;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;
import org.mcpplatform.security.PlatformUser;
import org.mcpplatform.web.ApiProperties;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** {@code POST /api/v1/admin/broadcast}: a message from the administrators to every connected live subscriber. */
@RestController
@Tag(name = "Live events")
public class BroadcastController {

    static final int MAX_MESSAGE_LENGTH = 2_000;
    private static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");

    private final CommandGateway commands;
    private final ApiProperties properties;

    public BroadcastController(CommandGateway commands, ApiProperties properties) {
        this.commands = commands;
        this.properties = properties;
    }

    public record BroadcastRequest(String message, String severity) {
    }

    public record BroadcastResponse(String broadcastId, String message, String severity) {
    }

    @PostMapping("/api/v1/admin/broadcast")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Broadcast a message (admins)", description = "Every open WebSocket connection, and every SSE "
            + "stream following admin:broadcast, receives a BroadcastSent event. Body: {message (1-2000 characters), "
            + "severity: info|warning|critical (default info)}")
    public BroadcastResponse broadcast(@AuthenticationPrincipal PlatformUser user,
                                       @RequestBody BroadcastRequest request) {
        if (!user.isAdmin()) {
            throw new ForbiddenException("Only administrators broadcast");
        }
        String severity = request.severity() == null ? "info" : request.severity();
        List<Violation> violations = new ArrayList<>();
        if (request.message() == null || request.message().isBlank()) {
            violations.add(new Violation("message", "required"));
        } else if (request.message().length() > MAX_MESSAGE_LENGTH) {
            violations.add(new Violation("message", "at most " + MAX_MESSAGE_LENGTH + " characters"));
        }
        if (!SEVERITIES.contains(severity)) {
            violations.add(new Violation("severity", "one of info, warning, critical"));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new SendBroadcast(id, request.message(), severity),
                             properties.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return new BroadcastResponse(id, request.message(), severity);
    }
}

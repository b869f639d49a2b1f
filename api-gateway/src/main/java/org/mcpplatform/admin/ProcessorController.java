package org.mcpplatform.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.security.PlatformUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The operators' view of the event processors and their dead letters; admins only. */
@RestController
@Tag(name = "Operations")
public class ProcessorController {

    private final EventProcessors processors;

    public ProcessorController(EventProcessors processors) {
        this.processors = processors;
    }

    @GetMapping("/api/v1/admin/processors")
    @Operation(summary = "The event processors", description = "Per processor: status (running, stopped, error), "
            + "position, head, lag (events behind the head), segments with their claims, replaying, progress of a "
            + "replay {done, total, events_per_second, eta_seconds}, dead_letters")
    public List<ProcessorView> processors(@AuthenticationPrincipal PlatformUser user) {
        requireAdmin(user);
        return processors.list();
    }

    @GetMapping("/api/v1/admin/processors/{name}/dead-letters")
    @Operation(summary = "The events parked in a processor's dead-letter queue")
    public List<DeadLetterView> deadLetters(@AuthenticationPrincipal PlatformUser user, @PathVariable String name) {
        requireAdmin(user);
        return processors.deadLetters(name);
    }

    @PostMapping("/api/v1/admin/processors/{name}/dead-letters/retry")
    @Operation(summary = "Hands the parked events to the processor's handlers again",
            description = "Answers {retried, remaining}: the dead letters handled successfully, and those still parked")
    public DeadLetterView.RetryResult retry(@AuthenticationPrincipal PlatformUser user, @PathVariable String name) {
        requireAdmin(user);
        return processors.retry(name);
    }

    private static void requireAdmin(PlatformUser user) {
        if (!user.isAdmin()) {
            throw new ForbiddenException("Only administrators operate the event processors");
        }
    }
}

package org.mcpplatform.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.security.PlatformUser;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The operators' view of the event processors, their dead letters and projection rebuilds; admins only. */
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

    @PostMapping("/api/v1/admin/processors/{name}/rebuild")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Rebuilds the read model a projection processor feeds, from the first event",
            description = "The rebuild fills shadow tables while the live read model keeps answering queries, and "
                    + "swaps them in once it has caught up with the head; its progress shows in GET /processors "
                    + "(replaying, progress, rebuild) and in admin:broadcast notices. Answers 202 with the processor; "
                    + "404 unknown processor; 409 REBUILD_RUNNING, or NOT_REBUILDABLE for a processor that feeds no "
                    + "read model (the deployment saga)")
    public ProcessorView rebuild(@AuthenticationPrincipal PlatformUser user, @PathVariable String name) {
        requireAdmin(user);
        return processors.rebuild(name, user.id());
    }

    private static void requireAdmin(PlatformUser user) {
        if (!user.isAdmin()) {
            throw new ForbiddenException("Only administrators operate the event processors");
        }
    }
}

package org.mcpplatform.tool;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.mcpplatform.identity.ActorMetaData;

/**
 * Registers tools: checks the fields, claims the slug, then creates the aggregate, all in one unit of work. If the
 * unit of work rolls back (the append failed), the claim is released again. Returns the new tool's revision, 1.
 */
public class ToolRegistration {

    private final Repository<McpTool> tools;
    private final SlugClaims slugClaims;
    private final ToolRules rules;

    public ToolRegistration(Repository<McpTool> tools, SlugClaims slugClaims, ToolRules rules) {
        this.tools = tools;
        this.slugClaims = slugClaims;
        this.rules = rules;
    }

    @CommandHandler
    public long handle(RegisterTool command, @MetaDataValue(ActorMetaData.USER_ID) String actor) throws Exception {
        rules.checkRegistration(command);
        if (actor == null) {
            throw new IllegalStateException("RegisterTool dispatched without the acting user in its metadata");
        }
        slugClaims.claim(command.slug(), command.toolId());
        CurrentUnitOfWork.get().onRollback(unitOfWork -> slugClaims.release(command.slug(), command.toolId()));
        tools.newInstance(() -> new McpTool(command, actor));
        return 1L;
    }
}

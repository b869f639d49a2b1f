package org.mcpplatform.identity;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.Repository;

/**
 * Registers accounts: checks the fields, claims the username and email with the credentials, then creates the
 * aggregate, all in one unit of work. If the unit of work rolls back (the append failed), the credentials are deleted
 * again. Returns the new account's revision, 1.
 */
public class UserRegistration {

    private final Repository<UserAccount> users;
    private final UserCredentials credentials;
    private final UserRules rules;

    public UserRegistration(Repository<UserAccount> users, UserCredentials credentials, UserRules rules) {
        this.users = users;
        this.credentials = credentials;
        this.rules = rules;
    }

    @CommandHandler
    public long handle(RegisterUser command) throws Exception {
        rules.checkRegistration(command);
        credentials.claim(command.userId(), command.username(), command.email(), command.role(),
                          command.passwordHash());
        CurrentUnitOfWork.get().onRollback(unitOfWork -> credentials.release(command.userId()));
        users.newInstance(() -> new UserAccount(command));
        return 1L;
    }
}

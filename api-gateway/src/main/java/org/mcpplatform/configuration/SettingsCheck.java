package org.mcpplatform.configuration;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Binds and validates every module's settings once the environment is complete (command line, environment variables,
 * application.yml, test properties) and before any bean exists: a missing or invalid setting stops the start before a
 * store is opened or a port bound, with every wrong setting of a module reported at once
 * ({@link SettingsFailureAnalyzer}). Registered in META-INF/spring.factories, so it runs for every start of the
 * application.
 */
public class SettingsCheck implements ApplicationListener<ApplicationPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        Settings.schema().bind(event.getApplicationContext().getEnvironment());
    }
}

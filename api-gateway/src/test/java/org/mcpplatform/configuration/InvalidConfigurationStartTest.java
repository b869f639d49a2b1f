package org.mcpplatform.configuration;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mcpplatform.McpPlatformApplication;
import org.mcpplatform.support.EmbeddedPlatform;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;
import org.springframework.web.context.support.StandardServletEnvironment;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Real starts of the platform with wrong settings: they stop, and say which variables to fix. */
@ExtendWith(OutputCaptureExtension.class)
class InvalidConfigurationStartTest {

    // Property 50: Invalid Configuration Rejection — the application itself, started with invalid settings in its
    // environment, stops before it opens a store or a port, and its failure report names each variable.
    @Test
    void aStartWithInvalidSettingsStopsBeforeAnythingRunsAndNamesEachVariable(CapturedOutput output) {
        Map<String, String> wrong = Map.of("PORT", "http",
                                           "MCP_RATE_LIMIT_ENABLED", "maybe",
                                           "MCP_ACCESS_TOKEN_TTL", "2d",
                                           "MONGODB_URI", "mysql://db:3306/events");

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(McpPlatformApplication.class)
                .environment(environmentWith(wrong)).run());

        assertThat(failure).isInstanceOf(InvalidSettingsException.class);
        assertThat(((InvalidSettingsException) failure).problems()).extracting(SettingProblem::name)
                                                                   .containsExactlyInAnyOrderElementsOf(wrong.keySet());
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                                   .contains("4 settings are missing or invalid")
                                   .contains(wrong.keySet())
                                   .contains("expected a duration from 1s to 1d")
                                   .doesNotContain("Tomcat started", "Started McpPlatformApplication");
    }

    // Property 50: Invalid Configuration Rejection — a setting required in production is missing: the first start on
    // an outside MongoDB without MCP_ADMIN_PASSWORD stops, naming it.
    @Test
    void theFirstStartOnAnOutsideMongoDbWithoutAnAdminPasswordStopsNamingIt(@TempDir Path dataDir,
                                                                            CapturedOutput output) {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind(new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress address = mongo.getLocalAddress();
        try {
            McpPlatformApplication.disableAxonUpdateCheckUnlessAsked();
            Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(McpPlatformApplication.class).run(
                    "--server.port=0",
                    "--mcp.event-store.mongodb-uri=mongodb://127.0.0.1:" + address.getPort(),
                    "--mcp.identity.admin-password=",
                    "--mcp.tokens.data-dir=" + dataDir,
                    "--mcp.deployments.data-dir=" + dataDir.resolve("deployments"),
                    "--spring.datasource.url=" + EmbeddedPlatform.readModelUrl(dataDir),
                    "--mcp.cache.redis-url="));

            FailureAnalysis analysis = analyze(failure, new StandardEnvironment());
            assertThat(analysis.getDescription())
                    .contains("MCP_ADMIN_PASSWORD is not set (mcp.identity.admin-password): required on the first "
                                      + "start with MONGODB_URI");
            assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains("MCP_ADMIN_PASSWORD");
        } finally {
            mongo.shutdownNow();
        }
    }

    @Test
    void springBootAsksTheSettingsAnalyzerBeforeItsOwn() {
        BindException failure = catchThrowableOfBinding();
        FailureAnalysis analysis = analyze(failure, environmentWith(Map.of("MCP_GATEWAY_REQUEST_TIMEOUT", "soon")));

        assertThat(analysis.getDescription()).contains("MCP_GATEWAY_REQUEST_TIMEOUT=\"soon\"")
                                             .contains("expected a duration of at least 100ms");
    }

    @Test
    void aSettingRefusedWhileABeanIsBoundIsReportedTheSameWay() {
        StandardEnvironment environment = SettingsEnvironments.of(Map.of("MCP_GATEWAY_REQUEST_TIMEOUT", "5ms"));
        // as Spring Boot binds a @Validated @ConfigurationProperties bean
        Throwable failure = catchThrowable(() -> Binder.get(environment).bindOrCreate(
                Settings.PREFIX, Bindable.of(ApiGatewayProperties.class), new ValidationBindHandler(
                        new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator()))));

        assertThat(analyze(failure, environment).getDescription())
                .contains("MCP_GATEWAY_REQUEST_TIMEOUT=\"5ms\" (mcp.gateway.request-timeout): expected a duration of "
                                  + "at least 100ms");
    }

    /** A failure as binding a bean's settings throws it, outside the settings check. */
    private static BindException catchThrowableOfBinding() {
        StandardEnvironment environment = environmentWith(Map.of("MCP_GATEWAY_REQUEST_TIMEOUT", "soon"));
        Throwable failure = catchThrowable(() -> Binder.get(environment).bind(
                ConfigurationPropertyName.of("mcp.gateway.request-timeout"), Bindable.of(Duration.class)));
        assertThat(failure).isInstanceOf(BindException.class);
        return (BindException) failure;
    }

    /** As Spring Boot's failure report does: the first analysis of the analyzers of spring.factories, in order. */
    private static FailureAnalysis analyze(Throwable failure, Environment environment) {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation().load(
                FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.of(Environment.class, environment)
                                                                             .and(BeanFactory.class,
                                                                                  new DefaultListableBeanFactory()),
                // as Spring Boot does: analyzers of libraries that are not on the class path are left out
                SpringFactoriesLoader.FailureHandler.handleMessage((message, error) -> { }));
        return analyzers.stream().map(analyzer -> analyzer.analyze(failure)).filter(Objects::nonNull).findFirst()
                        .orElseThrow(() -> new AssertionError("no analysis of " + failure));
    }

    /** The test process's environment with these variables added, as the application reads it. */
    private static StandardServletEnvironment environmentWith(Map<String, String> variables) {
        Map<String, Object> environment = new HashMap<>(System.getenv());
        environment.putAll(variables);
        StandardServletEnvironment servlet = new StandardServletEnvironment();
        servlet.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                                    environment));
        return servlet;
    }
}

package org.mcpplatform.identity;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mcpplatform.McpPlatformApplication;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.Secrets;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The first administrator on the embedded default, without MCP_ADMIN_PASSWORD: a random password, printed once. */
@ExtendWith(OutputCaptureExtension.class)
class AdminBootstrapTest {

    private static final Pattern PRINTED = Pattern.compile("password: (\\S+)");

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    private int start() {
        McpPlatformApplication.disableAxonUpdateCheckUnlessAsked();
        running = new SpringApplicationBuilder(McpPlatformApplication.class).run(
                "--server.port=0",
                "--mcp.event-store.mongodb-uri=",
                "--mcp.event-store.embedded-backend=h2",
                "--mcp.event-store.data-dir=" + dataDir,
                "--mcp.tokens.data-dir=" + dataDir,
                "--mcp.identity.admin-password=",
                "--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("readmodel")
                        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE",
                "--spring.datasource.username=sa",
                "--spring.datasource.password=",
                "--mcp.cache.redis-url=");
        return ((WebServerApplicationContext) running).getWebServer().getPort();
    }

    @Test
    void aRandomPasswordIsPrintedOnceAndLogsTheAdministratorIn(CapturedOutput output) {
        int port = start();
        Matcher printed = PRINTED.matcher(output.getOut());
        assertThat(printed.find()).as("the password is printed to the console").isTrue();
        String password = Secrets.remember("bootstrap password", printed.group(1));
        assertThat(password.length()).isGreaterThanOrEqualTo(20);
        assertThat(printed.find()).as("printed once").isFalse();

        Api.Response login = Api.anonymous(port).post("/api/v1/auth/login",
                                                      Map.of("username", "admin", "password", password));
        assertThat(login.status()).isEqualTo(200);
        Secrets.remember(login.json().get("access_token").asText());
        Secrets.remember(login.json().get("refresh_token").asText());
        Api.Response me = Api.anonymous(port).as(login.json().get("access_token").asText()).get("/api/v1/auth/me");
        assertThat(me.json().get("id").asText()).isEqualTo(AdminBootstrap.FIRST_ADMIN_ID);
        assertThat(me.json().get("role").asText()).isEqualTo("admin");

        running.close();
        int before = output.getOut().length();
        start();
        assertThat(output.getOut().substring(before)).as("a restart prints nothing").doesNotContain("password:");
    }
}

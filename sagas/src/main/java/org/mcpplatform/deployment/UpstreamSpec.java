package org.mcpplatform.deployment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What it takes to start or reach one deployed server, read from the tool's config entry at deployment time. Holds
 * env values and headers, which may be secrets: never log it, never put it in an event.
 *
 * @param command    stdio: the program (argv[0]), resolved on PATH, never run through a shell
 * @param args       stdio: the rest of argv, passed literally
 * @param env        stdio: the child's environment besides PATH and HOME
 * @param workingDir stdio: the child's own directory, ./data/deployments/{id}
 * @param url        remote: the server's URL (checked against the outbound address rules before connecting)
 * @param headers    remote: headers sent with every request to the server
 */
public record UpstreamSpec(String deploymentId,
                           String toolId,
                           String slug,
                           UpstreamKind kind,
                           String command,
                           List<String> args,
                           Map<String, String> env,
                           Path workingDir,
                           String url,
                           Map<String, String> headers) {

    @Override
    public String toString() {
        // env values and headers stay out of logs and exception messages
        return "UpstreamSpec[" + deploymentId + " " + kind + " " + (command != null ? command : url) + "]";
    }
}

package org.mcpplatform.projection;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The read-model database ({@code mcp.read-model.*}, a section of
 * {@link org.mcpplatform.configuration.QuerySideProperties}). Spring's data source reads these keys
 * ({@code spring.datasource.*} in application.yml refers to them), so that the database settings are validated with
 * every other setting before anything connects.
 *
 * @param url      the JDBC URL: MySQL 8, MariaDB, or H2 (the embedded default, a file under the data directory)
 * @param username the database user
 * @param password that user's password
 * @param poolSize connections in the pool
 */
public record ReadModelProperties(@NotNull @Pattern(regexp = "jdbc:(mysql|mariadb|h2):.+",
                                                    message = "a JDBC URL such as jdbc:mysql://mysql:3306/mcp_platform "
                                                            + "(MySQL 8), jdbc:mariadb://host:3306/mcp_platform or "
                                                            + "jdbc:h2:file:./data/readmodel")
                                  String url,
                                  @NotNull String username,
                                  String password,
                                  @Min(1) @Max(1000) int poolSize) {

    /** Not even part of the password is ever shown: printing settings stays safe. */
    @Override
    public String toString() {
        return "ReadModelProperties[url=" + url + ", username=" + username + ", poolSize=" + poolSize + "]";
    }
}

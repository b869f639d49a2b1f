package org.mcpplatform.eventstore;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * Settings of the MongoDB event store ({@code mcp.event-store.*}, a section of
 * {@link org.mcpplatform.configuration.CommandSideProperties}).
 *
 * @param mongodbUri         a MongoDB connection string; blank starts the in-process MongoDB server instead
 * @param database           the database holding events, snapshots, slug claims and sagas
 * @param dataDir            where the in-process server keeps its file
 * @param embeddedBackend    {@code h2} (a file under dataDir, survives restarts) or {@code memory} (tests)
 * @param commitWindow       how long a reserved event position is waited for before tracking gives it up: longer
 *                           than any append can take (a slow insert, a GC pause, a Mongo fail-over)
 * @param batchSize          events per tracking query and per aggregate read; large, because each query is a round
 *                           trip and a replay reads history in these steps
 * @param fetchDelay         how often the event store polls for events committed by other nodes when idle; local
 *                           commits wake it at once
 * @param snapshotThreshold  events between snapshots of an aggregate
 * @param aggregateCacheSize aggregates kept in memory between commands
 * @param slugClaimOrphanAfter age after which a slug claim whose tool has no events is taken over
 */
public record EventStoreProperties(@Pattern(regexp = "(mongodb(\\+srv)?://.+)?",
                                            message = "a MongoDB connection string such as "
                                                    + "mongodb://mongo:27017/?replicaSet=rs0, or nothing for the "
                                                    + "in-process server")
                                   String mongodbUri,
                                   @NotBlank @Pattern(regexp = "[^/\\\\. \"$]{1,63}",
                                                      message = "a MongoDB database name: up to 63 characters, "
                                                              + "none of / \\ . \" $ or space")
                                   String database,
                                   @NotBlank String dataDir,
                                   @NotNull EmbeddedBackend embeddedBackend,
                                   @NotNull @DurationMin(seconds = 10) Duration commitWindow,
                                   @Min(10) @Max(10_000) int batchSize,
                                   @NotNull @DurationMin(millis = 1) @DurationMax(seconds = 10) Duration fetchDelay,
                                   @Min(1) int snapshotThreshold,
                                   @Min(0) int aggregateCacheSize,
                                   @NotNull @DurationMin(seconds = 10) Duration slugClaimOrphanAfter) {

    public enum EmbeddedBackend { H2, MEMORY }

    public boolean embedded() {
        return mongodbUri == null || mongodbUri.isBlank();
    }
}

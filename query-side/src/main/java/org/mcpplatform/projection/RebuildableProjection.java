package org.mcpplatform.projection;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A read model that can be rebuilt from the first event beside the live one and then swapped in
 * ({@link ProjectionRebuilds}). Each read model of the SQL database declares one as a bean.
 *
 * @param processingGroup the live projection's processing group, which is also its processor's name
 * @param tables          every table the projection writes; they are rebuilt and swapped in together
 * @param shadowHandlers  the projection's event handlers writing into the shadow tables, given the name of each live
 *                        table's shadow; they must have no other effect (no cache writes, no notifications):
 *                        nobody reads the shadow tables before they are swapped in
 * @param swappedIn       runs on every node once the rebuilt tables are the live ones: forgets what caches remember
 *                        of the old tables
 */
public record RebuildableProjection(String processingGroup,
                                    List<String> tables,
                                    Function<UnaryOperator<String>, Object> shadowHandlers,
                                    Runnable swappedIn) {

    /** The shadow table of a live table while a rebuild runs, e.g. {@code mcp_tools__rebuild}. */
    public static String shadowOf(String table) {
        return table + "__rebuild";
    }

    /** What a live table is renamed to when its shadow takes its place, until it is dropped. */
    public static String retiredOf(String table) {
        return table + "__old";
    }

    /** The name of the processor that fills the shadow tables; its token lives beside the live processor's. */
    public String rebuildProcessorName() {
        return processingGroup + "__rebuild";
    }

    public RebuildableProjection {
        tables = List.copyOf(tables);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a rebuildable projection writes at least one table");
        }
    }
}

package org.mcpplatform.projection;

import java.util.Locale;

/** Where a projection rebuild is; stored in projection_rebuilds.phase in lower case. */
public enum RebuildPhase {
    /** the requesting node creates the shadow tables */
    PREPARING,
    /** every node runs the rebuild processor; the one holding its segment fills the shadow tables */
    REBUILDING,
    /** caught up: the live processor pauses on every node while one node swaps the tables */
    SWAPPING,
    /** the rebuilt tables are the live ones */
    DONE,
    /** given up; the live tables were never touched */
    FAILED;

    public boolean active() {
        return this == PREPARING || this == REBUILDING || this == SWAPPING;
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RebuildPhase fromValue(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

package org.mcpplatform.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines a child wrote to stderr: a bounded ring (so a chatty or hostile server cannot fill the platform's
 * memory), each line cut at a maximum length. Drained continuously, because a child whose stderr pipe is full
 * blocks on its next write and stops answering.
 */
final class StderrTail {

    static final int MAX_LINES = 500;
    static final int MAX_LINE_CHARS = 4096;

    private final int maxLines;
    private final int maxLineChars;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    StderrTail() {
        this(MAX_LINES, MAX_LINE_CHARS);
    }

    StderrTail(int maxLines, int maxLineChars) {
        this.maxLines = maxLines;
        this.maxLineChars = maxLineChars;
    }

    synchronized void add(String line) {
        if (lines.size() == maxLines) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** Oldest first. */
    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Reads the stream to its end on the calling thread; a line longer than the limit is cut, the rest skipped. */
    void drain(InputStream stderr) {
        try (Reader reader = new InputStreamReader(stderr, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            boolean truncated = false;
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) != -1) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        add(truncated ? line + "…" : line.toString());
                        line.setLength(0);
                        truncated = false;
                    } else if (c != '\r') {
                        if (line.length() < maxLineChars) {
                            line.append(c);
                        } else {
                            truncated = true;
                        }
                    }
                }
            }
            if (line.length() > 0) {
                add(truncated ? line + "…" : line.toString());
            }
        } catch (IOException e) {
            // the pipe closed under us (process killed): what we have is the tail
        }
    }
}

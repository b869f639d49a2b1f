package org.mcpplatform.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The server processes this JVM started and that still run. One shutdown hook kills them (and their descendants)
 * when the platform exits, so that a stopped or crashed-out-of-Spring platform leaves no orphaned MCP servers
 * behind. (A SIGKILLed JVM runs no hooks; then the children see EOF on stdin, which well-behaved servers exit on.)
 */
final class ChildProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::killAll, "mcp-upstream-children-reaper"));
    }

    private ChildProcesses() {
    }

    static void register(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
    }

    static int liveCount() {
        return LIVE.size();
    }

    private static void killAll() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process process : LIVE) {
            process.descendants().forEach(all::add);
            all.add(process.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ProcessHandle handle : all) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    handle.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    // killed below
                }
            }
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}

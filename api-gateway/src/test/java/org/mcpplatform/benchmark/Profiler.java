package org.mcpplatform.benchmark;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Optional CPU profile of a benchmark phase with async-profiler, when {@code -Dbenchmark.profiler=<path to the
 * async-profiler jar>} is given (tools.profiler:async-profiler from Maven Central). Writes collapsed stacks to
 * {@code target/profile-<phase>.collapsed}. Loaded reflectively so that the build does not depend on it.
 */
final class Profiler {

    private final Object instance;

    private Profiler(Object instance) {
        this.instance = instance;
    }

    private static Profiler loaded;

    static Profiler none() {
        return new Profiler(null);
    }

    static synchronized Profiler fromSystemProperty() {
        if (loaded == null) {
            loaded = load();
        }
        return loaded;
    }

    private static Profiler load() {
        String jar = System.getProperty("benchmark.profiler");
        if (jar == null) {
            return new Profiler(null);
        }
        try {
            URLClassLoader loader = new URLClassLoader(new URL[]{Path.of(jar).toUri().toURL()});
            Class<?> type = loader.loadClass("one.profiler.AsyncProfiler");
            String library = System.getProperty("benchmark.profiler.library");
            Object profiler = library == null
                    ? type.getMethod("getInstance").invoke(null)
                    : type.getMethod("getInstance", String.class).invoke(null, library);
            return new Profiler(profiler);
        } catch (ReflectiveOperationException | java.net.MalformedURLException e) {
            throw new IllegalStateException("cannot load async-profiler from " + jar, e);
        }
    }

    void start() {
        execute("start,event=" + System.getProperty("benchmark.profiler.event", "itimer") + ",interval=2ms");
    }

    void stop(String phase) {
        execute("stop,collapsed,file=target/profile-" + phase + ".collapsed");
    }

    private void execute(String command) {
        if (instance == null) {
            return;
        }
        try {
            instance.getClass().getMethod("execute", String.class).invoke(instance, command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

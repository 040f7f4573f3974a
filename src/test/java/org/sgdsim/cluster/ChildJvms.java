package org.sgdsim.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** sgdsim commands in child JVMs with their output in {@code <dir>/<name>.log}; {@link #close()} kills them all. */
final class ChildJvms implements AutoCloseable
{
    private final Path dir;
    private final List<Process> children = new ArrayList<>();

    ChildJvms(final Path dir)
    {
        this.dir = dir;
    }

    /** Starts {@code sgdsim ARGS} in a new JVM with the test class path. */
    Process start(final String name, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.sgdsim.cli.Main"));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log(name).toFile()).start();
        children.add(p);
        return p;
    }

    Path log(final String name)
    {
        return dir.resolve(name + ".log");
    }

    String output(final String name) throws IOException
    {
        return Files.exists(log(name)) ? Files.readString(log(name)) : "";
    }

    /** Waits until the child's output holds {@code text}; fails when it ends first or after 120 s. */
    void awaitLine(final String name, final String text, final Process p) throws Exception
    {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!output(name).contains(text))
        {
            assertTrue(p.isAlive(), name + " ended: " + output(name));
            assertTrue(System.nanoTime() < end, name + " did not print '" + text + "': " + output(name));
            Thread.sleep(100);
        }
    }

    /** Sends a signal (STOP, CONT, ...) to a child. */
    static void signal(final Process p, final String signal) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
    }

    @Override
    public void close() throws InterruptedException
    {
        for (final Process p : children)
        {
            p.destroyForcibly();
        }
        for (final Process p : children)
        {
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@code conf/hotspot_compiler}: the launcher passes it, and every method it names exists, so a rename cannot
 * silently drop a compile command (the JVM ignores a pattern that matches nothing).
 */
class HotspotCompilerFileTest
{
    private static final Path FILE = Path.of("conf", "hotspot_compiler");

    @Test
    void theLauncherPassesTheFile() throws IOException
    {
        final String launcher = Files.readString(Path.of("sgdsim"));
        assertTrue(launcher.contains("-XX:CompileCommandFile=\"$home/conf/hotspot_compiler\""), launcher);
    }

    @Test
    void everyCommandNamesAMethodThatExists() throws IOException, ClassNotFoundException
    {
        final List<String> commands = Files.readAllLines(FILE).stream().map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.equals("quiet")).toList();
        assertFalse(commands.isEmpty(), "no command in " + FILE);
        for (final String command : commands)
        {
            final String[] words = command.split("\\s+");
            if (words.length != 2 || !words[1].contains("::"))
            {
                fail("expected '<command> <class>::<method>' in " + FILE + ", got: " + command);
            }
            final String[] target = words[1].split("::");
            final Class<?> type = Class.forName(target[0]);
            assertTrue(Arrays.stream(type.getDeclaredMethods()).map(Method::getName).anyMatch(target[1]::equals),
                type.getName() + " has no method " + target[1] + " (" + FILE + ")");
        }
    }
}

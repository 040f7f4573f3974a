package org.sgdsim.cli;

import org.sgdsim.experiment.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sgdsim version}: prints the version and the Java runtime. */
@Command(name = "version", description = "Print the sgdsim version and the Java runtime.")
final class VersionCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().getOut().println("sgdsim " + Version.get() + " (Java " + System.getProperty("java.version")
            + ", " + System.getProperty("java.vm.name") + ")");
    }
}

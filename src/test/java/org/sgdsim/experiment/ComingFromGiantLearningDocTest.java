package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.online.RunModel;
import org.sgdsim.run.ReferenceTrainer;

/** Runs every example of docs/coming-from-giant-learning.md and checks the numbers the text states next to it. */
class ComingFromGiantLearningDocTest
{
    @Test
    void examplesRunWithTheStatedNumbers() throws IOException
    {
        final String doc = Files.readString(Path.of("docs/coming-from-giant-learning.md"));
        final Matcher m = Pattern.compile("```hocon\n(.*?)```", Pattern.DOTALL).matcher(doc);
        final List<String> names = new ArrayList<>();
        while (m.find())
        {
            final ExperimentSpec spec = ExperimentConfig.fromUserConfig(ConfigFactory.parseString(m.group(1)));
            final List<String> rows = new ArrayList<>();
            new ReferenceTrainer(RunModel.build(spec).plan(), l -> rows.add(l.toString()), null).run();
            final List<String> header = List.of(rows.get(0).split(","));
            final int risk = header.indexOf("risk");
            final double r0 = Double.parseDouble(rows.get(1).split(",")[risk]);
            final double last = Double.parseDouble(rows.get(rows.size() - 1).split(",")[risk]);
            assertTrue(Double.isFinite(last), spec.name());
            names.add(spec.name());
            final ExperimentSpec.Training t = spec.training();
            switch (spec.name())
            {
                case "gl-he3" ->
                {
                    assertEquals(4096, t.batchSize());
                    assertEquals(0.01, t.learningRate(), 1e-15);
                }
                case "repetita-egd" ->
                {
                    assertEquals(0.0004, t.learningRate(), 1e-15);
                    assertEquals(0.004, t.rho(spec.student().width(), spec.data().dim()), 1e-15);
                }
                case "gl-adaptive" ->
                {
                    assertEquals(0.13480, r0, 5e-6);
                    assertEquals(0.0809, t.lossSwitch().value(), 1e-12);
                    assertEquals(0.0809, 0.6 * r0, 1e-4);
                }
                case "cl-committee" ->
                {
                    assertEquals(0.005, t.learningRate(), 1e-15);
                    assertEquals(1.0, 400 * t.learningRate() / spec.student().width(), 1e-12, "t = steps * lr/p");
                    assertTrue(rows.get(0).endsWith(",a_1,a_2"), rows.get(0));
                }
                default -> throw new AssertionError("no check for example " + spec.name());
            }
        }
        assertEquals(List.of("gl-he3", "repetita-egd", "gl-adaptive", "cl-committee"), names);
    }
}

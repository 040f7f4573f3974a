package org.sgdsim.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;

/** The sweep's theory line applies the §3.4 hitting time to the experiments it describes, and only to those. */
class TheoryLineTest
{
    @Test
    void appliesToTheShippedHe3ExperimentAndNotToACommittee()
    {
        final ExperimentSpec he3 = spec("");
        assertNull(TheoryLine.whyNot(he3));
        // n_b = 4096 = d^1.5, η = 0.01: the closed form is ~82 steps
        assertEquals(81.87, TheoryLine.steps(he3), 0.01);
        final ExperimentSpec committee = spec("student.width = 8\nstudent.activation = relu");
        assertNotNull(TheoryLine.whyNot(committee));
        assertTrue(Double.isNaN(TheoryLine.steps(committee)));
    }

    @Test
    void informationExponentIsTheLowestPowerOfTheDrift()
    {
        assertEquals(3, TheoryLine.informationExponent(spec("")));
        assertEquals(2, TheoryLine.informationExponent(spec("teacher.target = \"He2(z1)\"\nstudent.activation = He2")));
        assertEquals(1, TheoryLine.informationExponent(spec("teacher.target = \"z1 + He3(z1)\"\nstudent.activation = tanh")));
        // He2 target, He3 student: no Hermite degree in common, no drift at all
        assertEquals(0, TheoryLine.informationExponent(spec("teacher.target = \"He2(z1)\"")));
    }

    private static ExperimentSpec spec(final String extra)
    {
        return ExperimentConfig.fromUserConfig(ConfigFactory.parseString(String.join("\n",
            "data.dim = 256",
            "teacher.target = \"He3(z1)\"",
            "student { width = 1, activation = He3, init = random }",
            "training { loss = correlation, batch-size = \"d^1.5\", learning-rate = \"0.01*nb*d^-1.5\", "
                + "normalization = projected }",
            "stop { max-samples = \"100*d^2\", when = { metric = max-cos-1, above = 0.5 } }",
            extra)));
    }
}

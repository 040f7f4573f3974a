package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sgdsim.optics.CostModel;
import org.sgdsim.optics.Encoding;
import org.sgdsim.optics.ReferenceNormalisation;
import org.sgdsim.optics.OpuParameters;
import org.sgdsim.optics.Readout;

/** The optics section: defaults equal §7's, every key reaches the parameters, bad values fail in one line. */
class OpticsSpecTest
{
    private static final String VALID = "data.dim = 20\nstop.max-steps = 10\nmetrics.progress = false";

    @Test
    void defaultsAreTheSection7AndSection4Defaults()
    {
        final OpticsSpec optics = ExperimentFixture.spec(VALID).optics();
        assertEquals(OpuParameters.defaults(), optics.unit());
        assertEquals(CostModel.Parameters.defaults(), optics.cost());
        assertEquals(OpuParameters.defaults(), OpticsSpec.load(List.of(), null).unit());
    }

    @Test
    void everyKeyReachesTheParameters()
    {
        final OpticsSpec o = ExperimentFixture.spec(VALID, "optics.readout=diff2", "optics.encoding=bit-planes",
            "optics.bit-planes=4", "optics.reference-size=300", "optics.normalisation=per-pixel", "optics.rescale=sqrt2",
            "optics.camera.bit-depth=12", "optics.camera.quantise=false", "optics.camera.gain-fill=0.5",
            "optics.camera.electrons-per-dn=10", "optics.camera.read-noise=2", "optics.camera.dark-offset=3",
            "optics.noise=false", "optics.laser-noise=0.01", "optics.drift-time=3600", "optics.recalibrate-every=1000",
            "optics.frame-rate=2000", "optics.latency=0.01", "optics.max-inputs=1000", "optics.max-outputs=2000",
            "optics.power=20", "optics.cost.gpu-flops=2e14", "optics.cost.gpu-power=300", "optics.cost.gpu-idle-power=50",
            "optics.cost.bandwidth=5e10", "optics.cost.bytes-per-parameter=4", "optics.cost.batch=32",
            "optics.cost.error-dim=10", "optics.cost.architecture=transformer", "optics.cost.depth=12",
            "optics.cost.min-parameters=1e5", "optics.cost.max-parameters=1e9", "optics.cost.points-per-decade=3")
            .optics();
        assertEquals(new OpuParameters(
            new OpuParameters.Projection(Readout.DIFF2, Encoding.BIT_PLANES, 4, 300, ReferenceNormalisation.PER_PIXEL, true),
            new OpuParameters.Camera(12, false, 0.5, 3), new OpuParameters.Noise(false, 10, 2, 0.01),
            new OpuParameters.Drift(3600, 1000), new OpuParameters.Device(2000, 0.01, 1000, 2000, 20)), o.unit());
        assertEquals(new CostModel.Parameters(new CostModel.Gpu(2e14, 300, 50, 5e10),
            new CostModel.Workload(4, 32, 10, CostModel.Architecture.TRANSFORMER, 12), new CostModel.Table(1e5, 1e9, 3)), o.cost());
        assertEquals(1.0 / 2000,
            ExperimentFixture.spec(VALID, "optics.frame-rate=2000").optics().unit().device().latency(),
            "latency auto = one frame");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "optics.readout=holography | optics.readout: expected ideal, diff2, exact3 or lightonml, got 'holography'",
        "optics.encoding=float | optics.encoding: expected ternary or bit-planes",
        "optics.bit-planes=0 | optics.bit-planes: expected an integer in [1, 16], got 0",
        "optics.reference-size=1.5 | optics.reference-size: expected an integer",
        "optics.normalisation=max | optics.normalisation: expected global or per-pixel",
        "optics.rescale=2 | optics.rescale: expected a string, got 2",
        "optics.rescale=double | optics.rescale: expected none or sqrt2, got 'double'",
        "optics.camera.bit-depth=64 | optics.camera.bit-depth: expected an integer in [1, 48], got 64",
        "optics.camera.quantise=maybe | optics.camera.quantise: expected true or false",
        "optics.camera.gain-fill=0 | optics.camera.gain-fill: expected a number in (0, 1], got 0.0",
        "optics.camera.gain-fill=1.2 | optics.camera.gain-fill: expected a number in [0.0, 1.0], got 1.2",
        "optics.camera.electrons-per-dn=0 | optics.camera.electrons-per-dn: expected a number > 0",
        "optics.camera.read-noise=-1 | optics.camera.read-noise: expected a number in [0.0",
        "optics.drift-time=forever | optics.drift-time: expected a number in [0.0",
        "optics.drift-time=0 | optics.drift-time: expected a number > 0",
        "optics.recalibrate-every=0 | optics.recalibrate-every: expected an integer in [1, ",
        "optics.frame-rate=0 | optics.frame-rate: expected a number > 0",
        "optics.latency=soon | optics.latency: expected a number in [0.0",
        "optics.max-outputs=0 | optics.max-outputs: expected an integer in [1, 2147483647], got 0",
        "optics.cost.architecture=cnn | optics.cost.architecture: expected mlp or transformer, got 'cnn'",
        "optics.cost.max-parameters=1e3 | optics.cost.max-parameters: expected a number > optics.cost.min-parameters",
        "optics.cost.points-per-decade=1000 | optics.cost.points-per-decade: expected an integer in [1, 100]",
        "optics.camera.bitdepth=8 | unknown key 'optics.camera.bitdepth' (did you mean optics.camera.bit-depth?)",
    })
    void badValuesAreOneLineUserErrors(final String override, final String expected)
    {
        final UserError error = assertThrows(UserError.class, () -> ExperimentFixture.spec(VALID, override));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
        final UserError alone = assertThrows(UserError.class, () -> OpticsSpec.load(List.of(override), null));
        assertEquals(error.getMessage(), alone.getMessage(), "the same message from the optics-only loader");
    }

    @Test
    void theOpticsOnlyLoaderRejectsOtherSections()
    {
        final UserError error = assertThrows(UserError.class,
            () -> OpticsSpec.load(List.of("data.dim=10"), null));
        assertEquals("--set: 'data.dim': expected an optics.* key (this command reads only the optics section)",
            error.getMessage());
    }

    @Test
    void parameterRecordsNameTheBadParameter()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpuParameters.builder().bitDepth(0).build())
            .getMessage().startsWith("optics bitDepth: expected an integer in [1, 48], got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpuParameters.builder().gainFill(1.5).build())
            .getMessage().startsWith("optics gainFill:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpuParameters.builder().driftTime(0).build())
            .getMessage().startsWith("optics driftTime:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpuParameters.builder().readout(null).build())
            .getMessage().startsWith("optics readout:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CostModel.Workload(2, 0, 1000,
            CostModel.Architecture.MLP, 24)).getMessage().startsWith("cost batch:"));
    }
}

package org.sgdsim.experiment.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import org.sgdsim.experiment.OpticsSpec;
import org.sgdsim.experiment.UserError;
import org.sgdsim.optics.CostModel;
import org.sgdsim.optics.Encoding;
import org.sgdsim.optics.OpuParameters;
import org.sgdsim.optics.Readout;
import org.sgdsim.optics.ReferenceNormalisation;

/** {@code optics.*}: the optical unit's parameters and the cost model's, read and validated. */
public final class OpticsSection
{
    private static final String P = "optics.";

    private OpticsSection()
    {
    }

    /** Parses the section from a merged configuration (user layers over the defaults). */
    public static OpticsSpec from(final Config merged)
    {
        try
        {
            return read(new ConfigReader(merged, merged));
        }
        catch (final ConfigException ex)
        {
            throw new UserError(ex.getMessage().replace('\n', ' '));
        }
    }

    /** Reads and validates every {@code optics.*} key. */
    static OpticsSpec read(final ConfigReader r)
    {
        final Readout readout = r.parse(P + "readout", Readout::parse);
        final Encoding encoding = r.parse(P + "encoding", Encoding::parse);
        final int bitPlanes = (int)r.longValue(P + "bit-planes", 1, OpuParameters.MAX_BIT_PLANES);
        final int reference = (int)r.longValue(P + "reference-size", 1, OpuParameters.MAX_REFERENCE_SIZE);
        final ReferenceNormalisation normalisation = r.parse(P + "normalisation", ReferenceNormalisation::parse);
        final boolean sqrt2 = r.parse(P + "rescale", OpticsSection::rescale);
        final int bitDepth = (int)r.longValue(P + "camera.bit-depth", 1, OpuParameters.MAX_BIT_DEPTH);
        final boolean quantise = r.bool(P + "camera.quantise");
        final double gainFill = r.doubleValue(P + "camera.gain-fill", 0.0, 1.0);
        if (gainFill == 0.0)
        {
            throw r.error(P + "camera.gain-fill", "a number in (0, 1]", gainFill);
        }
        final double electrons = positive(r, P + "camera.electrons-per-dn");
        final double readNoise = r.doubleValue(P + "camera.read-noise", 0.0, Double.MAX_VALUE);
        final double darkOffset = r.doubleValue(P + "camera.dark-offset", 0.0, Double.MAX_VALUE);
        final boolean noise = r.bool(P + "noise");
        final double laserNoise = r.doubleValue(P + "laser-noise", 0.0, Double.MAX_VALUE);
        final double driftTime = r.isWord(P + "drift-time", "none") ? Double.POSITIVE_INFINITY
            : positive(r, P + "drift-time");
        final long recalibrate = r.isWord(P + "recalibrate-every", "none") ? 0
            : r.longValue(P + "recalibrate-every", 1, Long.MAX_VALUE);
        final double frameRate = positive(r, P + "frame-rate");
        if (Double.isInfinite(1.0 / frameRate))
        {
            throw r.error(P + "frame-rate", "a number > 0 whose frame time 1/rate is finite", frameRate);
        }
        final double latency = r.isWord(P + "latency", "auto") ? 1.0 / frameRate
            : r.doubleValue(P + "latency", 0.0, Double.MAX_VALUE);
        final int maxInputs = (int)r.longValue(P + "max-inputs", 1, Integer.MAX_VALUE);
        final int maxOutputs = (int)r.longValue(P + "max-outputs", 1, Integer.MAX_VALUE);
        final double power = r.doubleValue(P + "power", 0.0, Double.MAX_VALUE);

        final String c = P + "cost.";
        final double minParameters = positive(r, c + "min-parameters");
        final double maxParameters = r.doubleValue(c + "max-parameters", 0.0, Double.MAX_VALUE);
        if (!(maxParameters > minParameters))
        {
            throw r.error(c + "max-parameters", "a number > " + c + "min-parameters = " + minParameters, maxParameters);
        }
        final CostModel.Parameters cost = new CostModel.Parameters(
            new CostModel.Gpu(positive(r, c + "gpu-flops"), r.doubleValue(c + "gpu-power", 0.0, Double.MAX_VALUE),
                r.doubleValue(c + "gpu-idle-power", 0.0, Double.MAX_VALUE), positive(r, c + "bandwidth")),
            new CostModel.Workload(positive(r, c + "bytes-per-parameter"),
                (int)r.longValue(c + "batch", 1, Integer.MAX_VALUE), (int)r.longValue(c + "error-dim", 1, Integer.MAX_VALUE),
                r.parse(c + "architecture", CostModel.Architecture::parse), (int)r.longValue(c + "depth", 1, 1_000_000)),
            new CostModel.Table(minParameters, maxParameters, (int)r.longValue(c + "points-per-decade", 1, 100)));

        try
        {
            // The unit's own checks (e.g. combinations of keys) are the user's mistakes too: one line, exit 2.
            final OpuParameters unit = OpuParameters.builder().readout(readout).encoding(encoding).bitPlanes(bitPlanes)
                .referenceSize(reference).normalisation(normalisation).rescaleSqrt2(sqrt2)
                .bitDepth(bitDepth).quantise(quantise).gainFill(gainFill).noise(noise).electronsPerDn(electrons)
                .readNoise(readNoise).laserNoise(laserNoise).darkOffset(darkOffset)
                .driftTime(driftTime).recalibrateEvery(recalibrate).frameRate(frameRate).latency(latency)
                .maxInputs(maxInputs).maxOutputs(maxOutputs).power(power).build();
            return new OpticsSpec(unit, cost);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserError("optics: " + ex.getMessage());
        }
    }

    private static boolean rescale(final String text)
    {
        return switch (text)
        {
            case "none" -> false;
            case "sqrt2" -> true;
            default -> throw new IllegalArgumentException("expected none or sqrt2, got '" + text + "'");
        };
    }

    private static double positive(final ConfigReader r, final String key)
    {
        final double v = r.doubleValue(key, 0.0, Double.MAX_VALUE);
        if (v == 0.0)
        {
            throw r.error(key, "a number > 0", v);
        }
        return v;
    }
}

package org.sgdsim.optics;

/**
 * Every setting of the simulated optical processing unit, with the defaults of dfa-optics.md §7, in the groups of the
 * science: how a vector is measured as a projection (§2.2), the camera and its noise (§2.3), the drift of the
 * transmission matrix, and the device's tile, rate and power (§2.4). The constructor rejects a bad value with an
 * {@link IllegalArgumentException} that names the parameter.
 *
 * @param projection how a vector becomes a linear projection of intensity frames.
 * @param camera     the camera's digitisation.
 * @param noise      shot, read and laser noise.
 * @param drift      the transmission matrix's drift and the recalibration against it.
 * @param device     the device tile, its frame rate, latency and power.
 */
public record OpuParameters(Projection projection, Camera camera, Noise noise, Drift drift, Device device)
{
    /** Largest bit-plane count: 2^p − 1 levels must stay exact in an int. */
    public static final int MAX_BIT_PLANES = 16;
    /** Largest camera bit depth: integer DN up to 2^48 are exact doubles with room for noise. */
    public static final int MAX_BIT_DEPTH = 48;
    /** Largest reference: only its summed field is simulated, but R + K enters the gain. */
    public static final int MAX_REFERENCE_SIZE = 100_000_000;
    /** Default frame rate, Hz (§2.4). */
    public static final double DEFAULT_FRAME_RATE = 1500.0;
    /** Default device tile: DMD mirrors (1140 × 912). */
    public static final int DEFAULT_MAX_INPUTS = 1_039_680;
    /** Default device tile: camera pixels (2040 × 1088). */
    public static final int DEFAULT_MAX_OUTPUTS = 2_219_520;

    /** Validates every parameter. */
    public OpuParameters
    {
        require(projection.readout() != null, "readout", "IDEAL, DIFF2, EXACT3 or LIGHTONML", null);
        require(projection.encoding() != null, "encoding", "TERNARY or BIT_PLANES", null);
        require(projection.normalisation() != null, "normalisation", "GLOBAL or PER_PIXEL", null);
        final int planes = projection.bitPlanes();
        require(planes >= 1 && planes <= MAX_BIT_PLANES, "bitPlanes", "an integer in [1, " + MAX_BIT_PLANES + "]",
            planes);
        final int reference = projection.referenceSize();
        require(reference >= 1 && reference <= MAX_REFERENCE_SIZE, "referenceSize",
            "an integer in [1, " + MAX_REFERENCE_SIZE + "]", reference);
        require(camera.bitDepth() >= 1 && camera.bitDepth() <= MAX_BIT_DEPTH, "bitDepth",
            "an integer in [1, " + MAX_BIT_DEPTH + "]", camera.bitDepth());
        require(camera.gainFill() > 0.0 && camera.gainFill() <= 1.0, "gainFill", "a number in (0, 1]",
            camera.gainFill());
        require(noise.electronsPerDn() > 0.0, "electronsPerDn", "a number > 0", noise.electronsPerDn());
        require(noise.readNoise() >= 0.0 && Double.isFinite(noise.readNoise()), "readNoise", "a finite number >= 0",
            noise.readNoise());
        require(noise.laserNoise() >= 0.0 && Double.isFinite(noise.laserNoise()), "laserNoise",
            "a finite number >= 0", noise.laserNoise());
        require(camera.darkOffset() >= 0.0 && Double.isFinite(camera.darkOffset()), "darkOffset",
            "a finite number >= 0", camera.darkOffset());
        require(drift.time() > 0.0, "driftTime", "a number of seconds > 0 (infinity: no drift)", drift.time());
        require(drift.recalibrateEvery() >= 0, "recalibrateEvery", "a number of frames >= 0 (0: never)",
            drift.recalibrateEvery());
        require(device.frameRate() > 0.0 && Double.isFinite(device.frameRate()), "frameRate",
            "a finite number of Hz > 0", device.frameRate());
        require(device.latency() >= 0.0 && Double.isFinite(device.latency()), "latency",
            "a finite number of seconds >= 0", device.latency());
        require(device.maxInputs() >= 1, "maxInputs", "an integer >= 1", device.maxInputs());
        require(device.maxOutputs() >= 1, "maxOutputs", "an integer >= 1", device.maxOutputs());
        require(device.power() >= 0.0 && Double.isFinite(device.power()), "power", "a finite number of watts >= 0",
            device.power());
    }

    /**
     * How a vector is measured as a linear projection (§2.2).
     *
     * @param readout       IDEAL, DIFF2, EXACT3 (default) or LIGHTONML.
     * @param encoding      TERNARY (default: the split e = e⁺ − e⁻ of a ternarised error) or BIT_PLANES.
     * @param bitPlanes     bits p per sign of the bit-plane encoding, 1..{@value #MAX_BIT_PLANES} (default 6).
     * @param referenceSize R reference mirrors, 1..{@value #MAX_REFERENCE_SIZE} (default 64).
     * @param normalisation GLOBAL (default) or PER_PIXEL.
     * @param rescaleSqrt2  multiply the output by √2 so that its entries have the variance of the software N(0, 1)
     *                      feedback (§1.5; default false).
     */
    public record Projection(Readout readout, Encoding encoding, int bitPlanes, int referenceSize,
        ReferenceNormalisation normalisation, boolean rescaleSqrt2)
    {
    }

    /**
     * The camera's digitisation (§2.3).
     *
     * @param bitDepth   bit depth b, 1..{@value #MAX_BIT_DEPTH} (default 8).
     * @param quantise   round to integer DN and clip to [0, 2^b − 1] (default true); false is an ideal camera.
     * @param gainFill   auto gain: the 99.9th percentile of the all-on intensity maps to this fraction of full scale,
     *                   in (0, 1] (default 0.8).
     * @param darkOffset d_0, dark offset in DN, ≥ 0, subtracted again at readout (default 0).
     */
    public record Camera(int bitDepth, boolean quantise, double gainFill, double darkOffset)
    {
    }

    /**
     * Shot, read and laser noise (§2.3).
     *
     * @param enabled        master switch of all three (default true).
     * @param electronsPerDn K_e, shot-noise variance = signal in DN ÷ K_e, &gt; 0 (default 40).
     * @param readNoise      σ_r, read noise in DN rms, ≥ 0 (default 0.5).
     * @param laserNoise     σ_L, relative laser power fluctuation per frame, ≥ 0 (default 0.005).
     */
    public record Noise(boolean enabled, double electronsPerDn, double readNoise, double laserNoise)
    {
    }

    /**
     * Drift of the transmission matrix and the recalibration against it (§2.3, §2.4).
     *
     * @param time             τ_TM in seconds, &gt; 0; {@link Double#POSITIVE_INFINITY} (default) means no drift.
     * @param recalibrateEvery re-measure I(r) after this many frames; 0 (default) means never.
     */
    public record Drift(double time, long recalibrateEvery)
    {
    }

    /**
     * The device tile, its frame rate, latency and power (§2.4).
     *
     * @param frameRate frames per second f, &gt; 0 (default 1500).
     * @param latency   seconds added once per {@code project} call, ≥ 0 (default one frame, 1/1500 s).
     * @param maxInputs N_in,max data mirrors of one device tile, ≥ 1 (default 1,039,680).
     * @param maxOutputs N_out,max camera pixels of one device tile, ≥ 1 (default 2,219,520).
     * @param power     P_OPU in watts, ≥ 0 (default 30).
     */
    public record Device(double frameRate, double latency, int maxInputs, int maxOutputs, double power)
    {
    }

    /** The defaults of dfa-optics.md §7. */
    public static OpuParameters defaults()
    {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder()
    {
        return new Builder(this);
    }

    /**
     * Frames one input vector costs on one device tile (§2.4): IDEAL and LIGHTONML 1, DIFF2 2, EXACT3 4 for a
     * ternary vector; a bit-plane vector costs 2p × (1 for IDEAL, LIGHTONML and DIFF2, 2 for EXACT3).
     */
    public long framesPerVector()
    {
        final Readout readout = projection.readout();
        final boolean ternary = projection.encoding() == Encoding.TERNARY || readout == Readout.LIGHTONML;
        final long perBinary = readout == Readout.EXACT3 ? 2 : 1;
        if (ternary)
        {
            return readout == Readout.IDEAL || readout == Readout.LIGHTONML ? 1 : 2 * perBinary;
        }
        return 2L * projection.bitPlanes() * perBinary;
    }

    /** Whether the readout measures the reference alone (1 calibration frame at start and per recalibration). */
    public boolean calibrates()
    {
        return projection.readout() == Readout.DIFF2 || projection.readout() == Readout.EXACT3;
    }

    /** Device passes for a K-input, M-output projection: ⌈K/N_in⌉·⌈M/N_out⌉ (§2.4). */
    public long passes(final int inputSize, final int outputSize)
    {
        return ceilDiv(inputSize, device.maxInputs()) * ceilDiv(outputSize, device.maxOutputs());
    }

    /** Output tiles ⌈M/N_out⌉: each has its own camera calibration frame. */
    public long outputTiles(final int outputSize)
    {
        return ceilDiv(outputSize, device.maxOutputs());
    }

    private static long ceilDiv(final long a, final long b)
    {
        return (a + b - 1) / b;
    }

    private static void require(final boolean ok, final String name, final String expected, final Object got)
    {
        if (!ok)
        {
            throw new IllegalArgumentException("optics " + name + ": expected " + expected + ", got " + got);
        }
    }

    /** Mutable holder for building {@link OpuParameters}; starts from the §7 defaults. */
    public static final class Builder
    {
        private Readout readout = Readout.EXACT3;
        private Encoding encoding = Encoding.TERNARY;
        private int bitPlanes = 6;
        private int referenceSize = 64;
        private ReferenceNormalisation normalisation = ReferenceNormalisation.GLOBAL;
        private boolean rescaleSqrt2;
        private int bitDepth = 8;
        private boolean quantise = true;
        private double gainFill = 0.8;
        private boolean noise = true;
        private double electronsPerDn = 40.0;
        private double readNoise = 0.5;
        private double laserNoise = 0.005;
        private double darkOffset;
        private double driftTime = Double.POSITIVE_INFINITY;
        private long recalibrateEvery;
        private double frameRate = DEFAULT_FRAME_RATE;
        private double latency = Double.NaN;
        private int maxInputs = DEFAULT_MAX_INPUTS;
        private int maxOutputs = DEFAULT_MAX_OUTPUTS;
        private double power = 30.0;

        Builder()
        {
        }

        Builder(final OpuParameters p)
        {
            readout = p.projection.readout();
            encoding = p.projection.encoding();
            bitPlanes = p.projection.bitPlanes();
            referenceSize = p.projection.referenceSize();
            normalisation = p.projection.normalisation();
            rescaleSqrt2 = p.projection.rescaleSqrt2();
            bitDepth = p.camera.bitDepth();
            quantise = p.camera.quantise();
            gainFill = p.camera.gainFill();
            darkOffset = p.camera.darkOffset();
            noise = p.noise.enabled();
            electronsPerDn = p.noise.electronsPerDn();
            readNoise = p.noise.readNoise();
            laserNoise = p.noise.laserNoise();
            driftTime = p.drift.time();
            recalibrateEvery = p.drift.recalibrateEvery();
            frameRate = p.device.frameRate();
            latency = p.device.latency();
            maxInputs = p.device.maxInputs();
            maxOutputs = p.device.maxOutputs();
            power = p.device.power();
        }

        /** Readout mode. */
        public Builder readout(final Readout v)
        {
            readout = v;
            return this;
        }

        /** Input encoding. */
        public Builder encoding(final Encoding v)
        {
            encoding = v;
            return this;
        }

        /** Bits per sign of the bit-plane encoding. */
        public Builder bitPlanes(final int v)
        {
            bitPlanes = v;
            return this;
        }

        /** Reference mirrors R. */
        public Builder referenceSize(final int v)
        {
            referenceSize = v;
            return this;
        }

        /** Output normalisation. */
        public Builder normalisation(final ReferenceNormalisation v)
        {
            normalisation = v;
            return this;
        }

        /** Whether to multiply the output by √2. */
        public Builder rescaleSqrt2(final boolean v)
        {
            rescaleSqrt2 = v;
            return this;
        }

        /** Camera bit depth. */
        public Builder bitDepth(final int v)
        {
            bitDepth = v;
            return this;
        }

        /** Whether the camera rounds and clips. */
        public Builder quantise(final boolean v)
        {
            quantise = v;
            return this;
        }

        /** Auto-gain fill fraction. */
        public Builder gainFill(final double v)
        {
            gainFill = v;
            return this;
        }

        /** Noise master switch. */
        public Builder noise(final boolean v)
        {
            noise = v;
            return this;
        }

        /** Electrons per DN. */
        public Builder electronsPerDn(final double v)
        {
            electronsPerDn = v;
            return this;
        }

        /** Read noise, DN rms. */
        public Builder readNoise(final double v)
        {
            readNoise = v;
            return this;
        }

        /** Relative laser noise per frame. */
        public Builder laserNoise(final double v)
        {
            laserNoise = v;
            return this;
        }

        /** Dark offset, DN. */
        public Builder darkOffset(final double v)
        {
            darkOffset = v;
            return this;
        }

        /** Transmission-matrix drift time τ_TM, seconds (infinity: none). */
        public Builder driftTime(final double v)
        {
            driftTime = v;
            return this;
        }

        /** Frames between recalibrations (0: never). */
        public Builder recalibrateEvery(final long v)
        {
            recalibrateEvery = v;
            return this;
        }

        /** Frame rate, Hz. */
        public Builder frameRate(final double v)
        {
            frameRate = v;
            return this;
        }

        /** Latency per project call, seconds; unset means one frame at the frame rate. */
        public Builder latency(final double v)
        {
            latency = v;
            return this;
        }

        /** Data mirrors of one device tile. */
        public Builder maxInputs(final int v)
        {
            maxInputs = v;
            return this;
        }

        /** Camera pixels of one device tile. */
        public Builder maxOutputs(final int v)
        {
            maxOutputs = v;
            return this;
        }

        /** OPU power, watts. */
        public Builder power(final double v)
        {
            power = v;
            return this;
        }

        /** Noise and quantisation off: the camera returns g·I exactly. */
        public Builder idealCamera()
        {
            noise = false;
            quantise = false;
            return this;
        }

        /** The validated parameters. */
        public OpuParameters build()
        {
            final double lat = Double.isNaN(latency) && frameRate > 0.0 ? 1.0 / frameRate : latency;
            return new OpuParameters(
                new Projection(readout, encoding, bitPlanes, referenceSize, normalisation, rescaleSqrt2),
                new Camera(bitDepth, quantise, gainFill, darkOffset),
                new Noise(noise, electronsPerDn, readNoise, laserNoise),
                new Drift(driftTime, recalibrateEvery),
                new Device(frameRate, lat, maxInputs, maxOutputs, power));
        }
    }
}

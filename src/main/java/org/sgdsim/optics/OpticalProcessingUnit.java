package org.sgdsim.optics;

import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.GaussianSource;

/**
 * The simulated optical processing unit of dfa-optics.md §2: a binary DMD pattern goes through a fixed complex
 * Gaussian transmission matrix T and a camera measures the quantised, noisy intensity |T z|²; the readout of
 * §2.2 turns intensity frames into the linear projection A_norm e of §2.3. It counts frames, virtual device
 * seconds and joules.
 *
 * <p>Only what the readout can see is simulated: the M × K data columns of T and the reference field Tr, drawn
 * directly as a complex Gaussian of variance R per pixel (the sum of R i.i.d. columns has exactly that law). The
 * transmission matrix, the camera noise and the drift each take their own stream derived from the run seed, so
 * changing the noise settings never changes T. Reconstruction uses only the measured calibration frame D(r) and
 * the gain g, never the true T, as the hardware would. Single-threaded; {@link #project} allocates nothing.
 *
 * <p>Every random draw (camera and laser noise per frame, drift per vector) and every counter depends only on the
 * sequence of batch sizes projected, never on the values: replaying the same batch sizes with zero vectors brings
 * a fresh unit of the same seed to exactly the state of the original (resuming a run relies on this).
 */
public final class OpticalProcessingUnit implements Projector
{
    /** Stream salt of the transmission matrix ("optics" in ASCII, then 1); part of the determinism contract. */
    public static final long TRANSMISSION_STREAM = 0x6F70746963730001L;
    /** Stream salt of the camera and laser noise. */
    public static final long NOISE_STREAM = 0x6F70746963730002L;
    /** Stream salt of the transmission-matrix drift. */
    public static final long DRIFT_STREAM = 0x6F70746963730003L;

    // The auto gain of §2.3 maps the 99.9th percentile of an exponential intensity, ln(1000) × its mean, to the fill.
    private static final double LN_1000 = Math.log(1000.0);

    private final OpuParameters parameters;
    private final int inputs;
    private final int outputs;
    private final long passes;
    private final long framesPerVector;
    private final long calibrationFrames;
    private final double gain;
    private final double fullScale;
    private final double outputScale;
    private final double partScale;
    private final double referenceScale;
    private final boolean drifting;

    // T data columns, row-major per pixel: T[i*K + k].
    private final double[] tRe;
    private final double[] tIm;
    // Reference field (Tr)_i.
    private final double[] fRe;
    private final double[] fIm;
    // A_norm (times the output scale) for the current T; for LIGHTONML, Re(T).
    private final double[] ideal;
    private boolean idealStale = true;

    // Calibration: D̄_r and the output factor (output scale)/s_i.
    private final double[] darkReference;
    private final double[] outputFactor;

    private final double[] posRe;
    private final double[] posIm;
    private final double[] negRe;
    private final double[] negIm;
    private final double[] frameA;
    private final double[] frameB;
    private final double[] frameC;
    private final double[] frameD;
    private final double[] cameraNoise;
    private final int[] onPos;
    private final int[] onNeg;
    private final int[] levelsPos;
    private final int[] levelsNeg;
    private final double[] decoded;
    // m⁺ and m⁻ of the vector being encoded.
    private double maxPos;
    private double maxNeg;
    private final GaussianSource noise;
    private final GaussianSource drift;

    private long frames;
    private long vectors;
    private long calls;
    private long calibrations;
    private long frameAtDrift;
    private long frameAtCalibration;

    /**
     * Draws the transmission matrix and, for DIFF2 and EXACT3, takes the calibration frame.
     *
     * @param parameters the unit's settings.
     * @param inputSize  K, data mirrors (error length).
     * @param outputSize M, camera pixels (projected outputs).
     * @param seed       the run seed; T, noise and drift streams derive from it.
     */
    public OpticalProcessingUnit(final OpuParameters parameters, final int inputSize, final int outputSize,
        final long seed)
    {
        this(parameters, inputSize, outputSize, seed, GaussianAlgorithm.ZIGGURAT);
    }

    /** As above, with T, the noise and the drift drawn by {@code gaussian} ({@code data.gaussian}). */
    public OpticalProcessingUnit(final OpuParameters parameters, final int inputSize, final int outputSize,
        final long seed, final GaussianAlgorithm gaussian)
    {
        if (parameters == null)
        {
            throw new IllegalArgumentException("optics parameters: expected a value, got null");
        }
        if (inputSize < 1 || outputSize < 1 || (long)inputSize * outputSize > Integer.MAX_VALUE - 16)
        {
            throw new IllegalArgumentException("optics size: expected K >= 1 inputs and M >= 1 outputs with K·M in one"
                + " Java array, got K = " + inputSize + ", M = " + outputSize);
        }
        this.parameters = parameters;
        this.inputs = inputSize;
        this.outputs = outputSize;
        this.passes = parameters.passes(inputSize, outputSize);
        this.framesPerVector = parameters.framesPerVector();
        this.calibrationFrames = parameters.outputTiles(outputSize);
        final boolean lightonml = parameters.projection().readout() == Readout.LIGHTONML;
        this.fullScale = Math.scalb(1.0, parameters.camera().bitDepth()) - 1.0;
        this.gain = parameters.camera().gainFill() * fullScale
            / (LN_1000 * (parameters.projection().referenceSize() + (double)inputSize));
        this.outputScale = parameters.projection().rescaleSqrt2() && !lightonml ? Math.sqrt(2.0) : 1.0;
        // lightonml: real and imaginary parts N(0, 1/n_features); ours: N(0, 1/2), so E|T_ij|² = 1.
        this.partScale = lightonml ? 1.0 / Math.sqrt(inputSize) : Math.sqrt(0.5);
        this.referenceScale = Math.sqrt(0.5 * parameters.projection().referenceSize());
        this.drifting = Double.isFinite(parameters.drift().time()) && !lightonml;

        final int mk = inputSize * outputSize;
        tRe = new double[mk];
        tIm = new double[mk];
        fRe = new double[outputSize];
        fIm = new double[outputSize];
        ideal = new double[mk];
        darkReference = new double[outputSize];
        outputFactor = new double[outputSize];
        posRe = new double[outputSize];
        posIm = new double[outputSize];
        negRe = new double[outputSize];
        negIm = new double[outputSize];
        frameA = new double[outputSize];
        frameB = new double[outputSize];
        frameC = new double[outputSize];
        frameD = new double[outputSize];
        cameraNoise = new double[2 * outputSize];
        onPos = new int[inputSize];
        onNeg = new int[inputSize];
        levelsPos = new int[inputSize];
        levelsNeg = new int[inputSize];
        decoded = new double[inputSize];

        final GaussianSource transmission = gaussian.stream(seed, TRANSMISSION_STREAM);
        transmission.fill(tRe, 0, mk);
        transmission.fill(tIm, 0, mk);
        scale(tRe, partScale);
        scale(tIm, partScale);
        if (!lightonml)
        {
            transmission.fill(fRe, 0, outputSize);
            transmission.fill(fIm, 0, outputSize);
            scale(fRe, referenceScale);
            scale(fIm, referenceScale);
        }
        noise = gaussian.stream(seed, NOISE_STREAM);
        drift = gaussian.stream(seed, DRIFT_STREAM);
        if (parameters.calibrates())
        {
            calibrate();
        }
    }

    @Override
    public int inputSize()
    {
        return inputs;
    }

    @Override
    public int outputSize()
    {
        return outputs;
    }

    /** The settings this unit was built with. */
    public OpuParameters parameters()
    {
        return parameters;
    }

    /**
     * Projects a batch through the simulated device. TERNARY encoding expects entries in {−1, 0, 1} (the error
     * already ternarised); BIT_PLANES and LIGHTONML take any finite values. Every vector is exposed and counted,
     * zero or not.
     *
     * @throws IllegalArgumentException on short arrays or an entry the encoding cannot send (nothing is counted).
     */
    @Override
    public void project(final double[] errors, final int batch, final double[] out)
    {
        checkBatch(errors, batch, out);
        final Readout readout = parameters.projection().readout();
        final boolean ternary = parameters.projection().encoding() == Encoding.TERNARY && readout != Readout.LIGHTONML;
        validate(errors, batch, ternary);
        if (batch == 0)
        {
            return;
        }
        calls++;
        for (int b = 0; b < batch; b++)
        {
            beforeVector();
            final int in = b * inputs;
            final int o = b * outputs;
            if (readout == Readout.IDEAL || readout == Readout.LIGHTONML)
            {
                if (ternary || readout == Readout.LIGHTONML)
                {
                    applyIdeal(errors, in, out, o);
                }
                else
                {
                    idealBitPlanes(errors, in, out, o);
                }
            }
            else if (ternary)
            {
                ternaryReadout(errors, in, out, o);
            }
            else
            {
                bitPlaneReadout(errors, in, out, o);
            }
            frames += framesPerVector * passes;
            vectors++;
        }
    }

    /**
     * The ideal projection of the same inputs, without encoding, noise or quantisation: out = A_norm e (times √2 with
     * {@code rescaleSqrt2}) for the current T; Re(T e) in LIGHTONML mode. The reference of the fidelity metric;
     * touches no counter and no random stream. Under drift, T is the one of the last projected vector: call it right
     * after {@link #project} of the same batch (within a batch T moves by only batch·F_v frames).
     */
    public void idealProject(final double[] errors, final int batch, final double[] out)
    {
        checkBatch(errors, batch, out);
        for (int b = 0; b < batch; b++)
        {
            applyIdeal(errors, b * inputs, out, b * outputs);
        }
    }

    /** Copies the ideal matrix applied by {@link #idealProject} (M × K, row-major) into dst. */
    public void copyIdealMatrix(final double[] dst)
    {
        refreshIdeal();
        System.arraycopy(ideal, 0, dst, 0, ideal.length);
    }

    // Tests only: the true data columns and reference field, which no readout path may use.
    void copyTransmission(final double[] re, final double[] im, final double[] referenceRe, final double[] referenceIm)
    {
        System.arraycopy(tRe, 0, re, 0, tRe.length);
        System.arraycopy(tIm, 0, im, 0, tIm.length);
        System.arraycopy(fRe, 0, referenceRe, 0, fRe.length);
        System.arraycopy(fIm, 0, referenceIm, 0, fIm.length);
    }

    /** Frames exposed so far, calibration frames included. */
    public long frames()
    {
        return frames;
    }

    /** Input vectors projected so far. */
    public long vectors()
    {
        return vectors;
    }

    /** Calibrations (measurements of I(r)) so far, the initial one included. */
    public long calibrations()
    {
        return calibrations;
    }

    /** Non-empty {@link #project} calls so far; each costs one latency. */
    public long projectCalls()
    {
        return calls;
    }

    /** Virtual device time: frames at the frame rate plus one latency per project call, in seconds. */
    public double deviceSeconds()
    {
        return frames / parameters.device().frameRate() + calls * parameters.device().latency();
    }

    /** Energy drawn by the unit over {@link #deviceSeconds()}: P_OPU × device time, in joules. */
    public double energyJoules()
    {
        return parameters.device().power() * deviceSeconds();
    }

    /** Device passes per vector, ⌈K/N_in⌉·⌈M/N_out⌉. */
    public long passes()
    {
        return passes;
    }

    /** Camera gain g in DN per unit intensity, set by the auto-exposure rule of §2.3. */
    public double gain()
    {
        return gain;
    }

    // ---------------------------------------------------------------------------------------------------------

    private void checkBatch(final double[] errors, final int batch, final double[] out)
    {
        if (batch < 0 || (long)batch * inputs > errors.length || (long)batch * outputs > out.length)
        {
            throw new IllegalArgumentException("optics project: batch " + batch + " needs " + (long)batch * inputs
                + " inputs and " + (long)batch * outputs + " outputs, got arrays of " + errors.length + " and "
                + out.length);
        }
    }

    private void validate(final double[] errors, final int batch, final boolean ternary)
    {
        final int n = batch * inputs;
        for (int j = 0; j < n; j++)
        {
            final double v = errors[j];
            if (ternary ? !(v == 0.0 || v == 1.0 || v == -1.0) : !Double.isFinite(v))
            {
                throw new IllegalArgumentException("optics project: " + (ternary
                    ? "ternary encoding expects entries in {-1, 0, 1} (ternarise the error first or use bit-planes)"
                    : "expected finite entries") + ", got " + v + " at vector " + j / inputs + ", entry " + j % inputs);
            }
        }
    }

    private void beforeVector()
    {
        // Frames of one vector share one T: over the 4 frames of a vector the field correlation changes by about
        // 4/(2 f τ_TM), far below any other error term for τ_TM of seconds or more.
        if (drifting && frames > frameAtDrift)
        {
            advanceDrift(frames - frameAtDrift);
        }
        frameAtDrift = frames;
        final long every = parameters.drift().recalibrateEvery();
        if (every > 0 && parameters.calibrates() && frames - frameAtCalibration >= every)
        {
            calibrate();
        }
    }

    // T ← √a T + √(1−a) G with a = (1−ε)^n, ε = frame time / τ_TM: n frames of the per-frame drift at once.
    private void advanceDrift(final long n)
    {
        final double epsilon = 1.0 / (parameters.device().frameRate() * parameters.drift().time());
        final double logA = n * StrictMath.log1p(-Math.min(epsilon, 1.0));
        final double keep = StrictMath.sqrt(StrictMath.exp(logA));
        final double fresh = StrictMath.sqrt(-StrictMath.expm1(logA));
        final double parts = fresh * partScale;
        for (int j = 0; j < tRe.length; j++)
        {
            tRe[j] = keep * tRe[j] + parts * drift.nextGaussian();
            tIm[j] = keep * tIm[j] + parts * drift.nextGaussian();
        }
        final double reference = fresh * referenceScale;
        for (int i = 0; i < outputs; i++)
        {
            fRe[i] = keep * fRe[i] + reference * drift.nextGaussian();
            fIm[i] = keep * fIm[i] + reference * drift.nextGaussian();
        }
        idealStale = true;
    }

    // The reference alone: D̄_r and the normalisation s (global) or s_i (per pixel) of §2.3.
    private void calibrate()
    {
        expose(null, null, true, darkReference);
        final double[] dr = darkReference;
        if (parameters.projection().normalisation() == ReferenceNormalisation.GLOBAL)
        {
            double sum = 0.0;
            for (int i = 0; i < outputs; i++)
            {
                sum += dr[i];
            }
            // A camera that saw no light at all leaves s undefined; the floor keeps the output finite.
            final double s = Math.sqrt(Math.max(sum / outputs, Double.MIN_NORMAL) / gain);
            for (int i = 0; i < outputs; i++)
            {
                outputFactor[i] = outputScale / s;
            }
        }
        else
        {
            for (int i = 0; i < outputs; i++)
            {
                outputFactor[i] = outputScale / Math.sqrt(Math.max(dr[i], 1.0) / gain);
            }
        }
        frames += calibrationFrames;
        calibrations++;
        frameAtCalibration = frames;
    }

    // One camera frame of pattern (data field + reference if on): D − d_0 per pixel, per the formula of §2.3.
    private void expose(final double[] re, final double[] im, final boolean reference, final double[] out)
    {
        final boolean noisy = parameters.noise().enabled();
        final boolean quantise = parameters.camera().quantise();
        final double d0 = parameters.camera().darkOffset();
        final double readNoise = parameters.noise().readNoise();
        final double shotPerDn = 1.0 / parameters.noise().electronsPerDn();
        double laser = 1.0;
        if (noisy)
        {
            laser += parameters.noise().laserNoise() * noise.nextGaussian();
            noise.fill(cameraNoise, 0, cameraNoise.length);
        }
        final double g = gain;
        for (int i = 0; i < outputs; i++)
        {
            double ur = re == null ? 0.0 : re[i];
            double ui = im == null ? 0.0 : im[i];
            if (reference)
            {
                ur += fRe[i];
                ui += fIm[i];
            }
            final double signal = g * (ur * ur + ui * ui);
            double v = signal * laser + d0;
            if (noisy)
            {
                v += Math.sqrt(signal * shotPerDn) * cameraNoise[i] + readNoise * cameraNoise[outputs + i];
            }
            if (quantise)
            {
                v = Math.min(Math.max(Math.rint(v), 0.0), fullScale);
            }
            out[i] = v - d0;
        }
    }

    // Field T x of a binary pattern given by the indices of its lit mirrors.
    private void field(final int[] on, final int count, final double[] re, final double[] im)
    {
        final int k = inputs;
        for (int i = 0; i < outputs; i++)
        {
            double sr = 0.0;
            double si = 0.0;
            final int row = i * k;
            for (int c = 0; c < count; c++)
            {
                sr += tRe[row + on[c]];
                si += tIm[row + on[c]];
            }
            re[i] = sr;
            im[i] = si;
        }
    }

    private void ternaryReadout(final double[] errors, final int in, final double[] out, final int o)
    {
        int nPos = 0;
        int nNeg = 0;
        for (int k = 0; k < inputs; k++)
        {
            final double v = errors[in + k];
            if (v > 0.0)
            {
                onPos[nPos++] = k;
            }
            else if (v < 0.0)
            {
                onNeg[nNeg++] = k;
            }
        }
        field(onPos, nPos, posRe, posIm);
        field(onNeg, nNeg, negRe, negIm);
        final double half = 0.5 / gain;
        if (parameters.projection().readout() == Readout.DIFF2)
        {
            expose(posRe, posIm, true, frameA);
            expose(negRe, negIm, true, frameC);
            for (int i = 0; i < outputs; i++)
            {
                out[o + i] = (frameA[i] - frameC[i]) * half * outputFactor[i];
            }
        }
        else
        {
            expose(posRe, posIm, true, frameA);
            expose(posRe, posIm, false, frameB);
            expose(negRe, negIm, true, frameC);
            expose(negRe, negIm, false, frameD);
            for (int i = 0; i < outputs; i++)
            {
                final double plus = frameA[i] - frameB[i] - darkReference[i];
                final double minus = frameC[i] - frameD[i] - darkReference[i];
                out[o + i] = (plus - minus) * half * outputFactor[i];
            }
        }
    }

    // lightonml's SeparatedBitPlanEncoder: q± = round((2^p − 1) x±/m±), planes most significant first; sets the
    // levels and the maxima m±.
    private void quantiseSigns(final double[] errors, final int in)
    {
        double maxPos = 0.0;
        double maxNeg = 0.0;
        for (int k = 0; k < inputs; k++)
        {
            final double v = errors[in + k];
            maxPos = Math.max(maxPos, v);
            maxNeg = Math.max(maxNeg, -v);
        }
        final double levels = Math.scalb(1.0, parameters.projection().bitPlanes()) - 1.0;
        for (int k = 0; k < inputs; k++)
        {
            final double v = errors[in + k];
            levelsPos[k] = v > 0.0 ? (int)Math.rint(levels * v / maxPos) : 0;
            levelsNeg[k] = v < 0.0 ? (int)Math.rint(levels * -v / maxNeg) : 0;
        }
        this.maxPos = maxPos;
        this.maxNeg = maxNeg;
    }

    // IDEAL optics still sees the encoded input: the dequantised vector x̃ = (m⁺ q⁺ − m⁻ q⁻)/(2^p − 1).
    private void idealBitPlanes(final double[] errors, final int in, final double[] out, final int o)
    {
        quantiseSigns(errors, in);
        final double levels = Math.scalb(1.0, parameters.projection().bitPlanes()) - 1.0;
        for (int c = 0; c < inputs; c++)
        {
            decoded[c] = (maxPos * levelsPos[c] - maxNeg * levelsNeg[c]) / levels;
        }
        applyIdeal(decoded, 0, out, o);
    }

    private void bitPlaneReadout(final double[] errors, final int in, final double[] out, final int o)
    {
        quantiseSigns(errors, in);
        final double levels = Math.scalb(1.0, parameters.projection().bitPlanes()) - 1.0;
        final boolean exact = parameters.projection().readout() == Readout.EXACT3;
        final int p = parameters.projection().bitPlanes();
        final double half = 0.5 / gain;
        for (int i = 0; i < outputs; i++)
        {
            out[o + i] = 0.0;
        }
        for (int sign = 0; sign < 2; sign++)
        {
            final int[] q = sign == 0 ? levelsPos : levelsNeg;
            final double weight = (sign == 0 ? maxPos : -maxNeg) / levels;
            for (int plane = 0; plane < p; plane++)
            {
                final int bit = p - 1 - plane;
                int count = 0;
                for (int c = 0; c < inputs; c++)
                {
                    if (((q[c] >>> bit) & 1) != 0)
                    {
                        onPos[count++] = c;
                    }
                }
                field(onPos, count, posRe, posIm);
                expose(posRe, posIm, true, frameA);
                final double w = weight * Math.scalb(1.0, bit) * half;
                if (exact)
                {
                    expose(posRe, posIm, false, frameB);
                    for (int i = 0; i < outputs; i++)
                    {
                        out[o + i] += w * (frameA[i] - frameB[i] - darkReference[i]) * outputFactor[i];
                    }
                }
                else
                {
                    // DIFF2 on a binary vector: [I(b + r) − I(r)]/2 = A b + |Tb|²/2.
                    for (int i = 0; i < outputs; i++)
                    {
                        out[o + i] += w * (frameA[i] - darkReference[i]) * outputFactor[i];
                    }
                }
            }
        }
    }

    private void applyIdeal(final double[] errors, final int in, final double[] out, final int o)
    {
        refreshIdeal();
        final int k = inputs;
        for (int i = 0; i < outputs; i++)
        {
            double sum = 0.0;
            final int row = i * k;
            for (int c = 0; c < k; c++)
            {
                sum += ideal[row + c] * errors[in + c];
            }
            out[o + i] = sum;
        }
    }

    // A_norm,ij = Re(conj((Tr)_i) T_ij)/S from the true T (§2.3); Re(T) in LIGHTONML mode.
    private void refreshIdeal()
    {
        if (!idealStale)
        {
            return;
        }
        final int k = inputs;
        if (parameters.projection().readout() == Readout.LIGHTONML)
        {
            System.arraycopy(tRe, 0, ideal, 0, tRe.length);
        }
        else
        {
            double meanPower = 0.0;
            for (int i = 0; i < outputs; i++)
            {
                meanPower += fRe[i] * fRe[i] + fIm[i] * fIm[i];
            }
            final double globalScale = outputScale / Math.sqrt(meanPower / outputs);
            final boolean perPixel = parameters.projection().normalisation() == ReferenceNormalisation.PER_PIXEL;
            for (int i = 0; i < outputs; i++)
            {
                final double amplitude = Math.hypot(fRe[i], fIm[i]);
                final double factor = perPixel ? (amplitude > 0.0 ? outputScale / amplitude : 0.0) : globalScale;
                final int row = i * k;
                for (int c = 0; c < k; c++)
                {
                    ideal[row + c] = (fRe[i] * tRe[row + c] + fIm[i] * tIm[row + c]) * factor;
                }
            }
        }
        idealStale = false;
    }

    private static void scale(final double[] a, final double factor)
    {
        for (int i = 0; i < a.length; i++)
        {
            a[i] *= factor;
        }
    }
}

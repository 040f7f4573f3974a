package org.sgdsim.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The UCI handwritten digits shipped in the jar ({@code digits.csv.gz}, attribution in DIGITS-README.md beside it)
 * under protocol P0 of dfa-optics.md §6: x/16, test = rows with index ≡ 0 (mod 4), every feature standardised with
 * the training mean and population standard deviation (std &lt; 1e-3 → 1), one-hot targets over 10 classes.
 */
public final class Digits
{
    /** Rows in the file. */
    public static final int ROWS = 1797;
    /** Pixels per image. */
    public static final int PIXELS = 64;
    /** Classes. */
    public static final int CLASSES = 10;
    /** Test rows under P0: indices i ≡ 0 (mod 4). */
    public static final int TEST_ROWS = (ROWS + 3) / 4;
    /** Training rows under P0. */
    public static final int TRAIN_ROWS = ROWS - TEST_ROWS;

    private static final String RESOURCE = "org/sgdsim/model/digits.csv.gz";

    private Digits()
    {
    }

    /** Loads the file and applies P0. */
    public static LabelledData.Split p0()
    {
        final double[] pixels = new double[ROWS * PIXELS];
        final int[] labels = new int[ROWS];
        read(pixels, labels);
        final int nTest = TEST_ROWS;
        final int nTrain = TRAIN_ROWS;
        final double[] trainX = new double[nTrain * PIXELS];
        final double[] testX = new double[nTest * PIXELS];
        final int[] trainLabels = new int[nTrain];
        final int[] testLabels = new int[nTest];
        int tr = 0;
        int te = 0;
        for (int i = 0; i < ROWS; i++)
        {
            final boolean test = i % 4 == 0;
            final double[] dst = test ? testX : trainX;
            final int row = test ? te : tr;
            for (int j = 0; j < PIXELS; j++)
            {
                dst[row * PIXELS + j] = pixels[i * PIXELS + j] / 16.0;
            }
            if (test)
            {
                testLabels[te++] = labels[i];
            }
            else
            {
                trainLabels[tr++] = labels[i];
            }
        }
        for (int j = 0; j < PIXELS; j++)
        {
            double mean = 0.0;
            for (int i = 0; i < nTrain; i++)
            {
                mean += trainX[i * PIXELS + j];
            }
            mean /= nTrain;
            double var = 0.0;
            for (int i = 0; i < nTrain; i++)
            {
                final double d = trainX[i * PIXELS + j] - mean;
                var += d * d;
            }
            double std = Math.sqrt(var / nTrain);
            if (std < 1e-3)
            {
                std = 1.0;
            }
            standardise(trainX, nTrain, j, mean, std);
            standardise(testX, nTest, j, mean, std);
        }
        return new LabelledData.Split(
            new LabelledData(nTrain, PIXELS, CLASSES, trainX, oneHot(trainLabels), trainLabels),
            new LabelledData(nTest, PIXELS, CLASSES, testX, oneHot(testLabels), testLabels));
    }

    private static void standardise(final double[] x, final int n, final int j, final double mean, final double std)
    {
        for (int i = 0; i < n; i++)
        {
            x[i * PIXELS + j] = (x[i * PIXELS + j] - mean) / std;
        }
    }

    private static double[] oneHot(final int[] labels)
    {
        final double[] y = new double[labels.length * CLASSES];
        for (int i = 0; i < labels.length; i++)
        {
            y[i * CLASSES + labels[i]] = 1.0;
        }
        return y;
    }

    private static void read(final double[] pixels, final int[] labels)
    {
        try (InputStream raw = Digits.class.getClassLoader().getResourceAsStream(RESOURCE))
        {
            if (raw == null)
            {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            final BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                StandardCharsets.US_ASCII));
            for (int i = 0; i < ROWS; i++)
            {
                final String line = in.readLine();
                if (line == null)
                {
                    throw new IllegalStateException(RESOURCE + ": " + i + " rows, expected " + ROWS);
                }
                final String[] fields = line.split(",");
                if (fields.length != PIXELS + 1)
                {
                    throw new IllegalStateException(RESOURCE + " row " + i + ": " + fields.length + " fields");
                }
                for (int j = 0; j < PIXELS; j++)
                {
                    pixels[i * PIXELS + j] = Double.parseDouble(fields[j]);
                }
                labels[i] = (int)Double.parseDouble(fields[PIXELS]);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + RESOURCE, ex);
        }
    }
}

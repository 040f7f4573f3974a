package org.sgdsim.experiment.config;

import java.util.List;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.math.LinearAlgebra;
import org.sgdsim.model.Activation;
import org.sgdsim.model.SecondLayer;
import org.sgdsim.model.StudentInit;

/** {@code student.*}: width p, activation, second layer a and the initial overlaps. */
final class StudentSection
{
    private StudentSection()
    {
    }

    static ExperimentSpec.Student read(final ConfigReader r, final int dim, final int k)
    {
        final int width = (int)r.longValue("student.width", 1, 1 << 16);
        final Activation activation = r.parse("student.activation", Activation::parse);
        final SecondLayer secondLayer = secondLayer(r, width);
        return new ExperimentSpec.Student(width, activation, secondLayer, init(r, width, k, dim));
    }

    private static SecondLayer secondLayer(final ConfigReader r, final int width)
    {
        final ConfigValue value = r.config().getValue("student.second-layer");
        if (value.valueType() == ConfigValueType.LIST)
        {
            final List<Double> list;
            try
            {
                list = r.config().getDoubleList("student.second-layer");
            }
            catch (final ConfigException ex)
            {
                throw r.error("student.second-layer", "a list of numbers", value.unwrapped());
            }
            if (list.size() != width)
            {
                throw r.error("student.second-layer", "a list of student.width = " + width + " numbers",
                    value.unwrapped());
            }
            return new SecondLayer.Explicit(list.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return r.parse("student.second-layer", SecondLayer::parse);
    }

    private static StudentInit init(final ConfigReader r, final int width, final int k, final int dim)
    {
        final String key = "student.init";
        final ConfigValue value = r.config().getValue(key);
        switch (value.valueType())
        {
            case NUMBER:
                final double m0 = ((Number)value.unwrapped()).doubleValue();
                if (!(Math.abs(m0) <= 1.0))
                {
                    throw r.error(key, "an initial overlap m0 in [-1, 1]", m0);
                }
                return new StudentInit.Overlap(m0);
            case OBJECT:
                if (!r.config().hasPath(key + ".M0") || !r.config().hasPath(key + ".Q0"))
                {
                    throw r.error(key, "an object with both M0 (p × k) and Q0 (p × p)", value.unwrapped());
                }
                if (k + width > dim)
                {
                    throw r.error(key, "k + p ≤ d for explicit overlaps", "k + p = " + (k + width));
                }
                final double[] m0s = matrix(r, key + ".M0", width, k);
                final double[] q0s = matrix(r, key + ".Q0", width, width);
                final StudentInit explicit = new StudentInit.Explicit(m0s, q0s);
                try
                {
                    // Fail now, not mid-run, when Q0 − M0·M0ᵀ is not PSD.
                    LinearAlgebra.psdFactor(residual(m0s, q0s, width, k), width, 1e-10);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw r.error(key, "Q0 − M0·M0ᵀ positive semi-definite (P = I)", "a matrix with a negative eigenvalue");
                }
                return explicit;
            default:
                return r.parse(key, StudentInit::parse);
        }
    }

    private static double[] residual(final double[] m, final double[] q, final int width, final int k)
    {
        final double[] r = q.clone();
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l < width; l++)
            {
                for (int c = 0; c < k; c++)
                {
                    r[j * width + l] -= m[j * k + c] * m[l * k + c];
                }
            }
        }
        return r;
    }

    private static double[] matrix(final ConfigReader r, final String key, final int rows, final int cols)
    {
        final String expected = "a " + rows + " × " + cols + " matrix as a list of rows, e.g. [[0.1, 0.2], ...]";
        final ConfigValue value = r.config().getValue(key);
        if (value.valueType() != ConfigValueType.LIST)
        {
            throw r.error(key, expected, value.unwrapped());
        }
        final List<?> outer = (List<?>)value.unwrapped();
        if (outer.size() != rows)
        {
            throw r.error(key, expected, value.unwrapped());
        }
        final double[] m = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            if (!(outer.get(i) instanceof List<?> row) || row.size() != cols)
            {
                throw r.error(key, expected, value.unwrapped());
            }
            for (int j = 0; j < cols; j++)
            {
                if (!(row.get(j) instanceof Number n))
                {
                    throw r.error(key, expected, value.unwrapped());
                }
                m[i * cols + j] = n.doubleValue();
            }
        }
        return m;
    }
}

package org.sgdsim.theory;

import org.sgdsim.math.GaussHermite;
import org.sgdsim.math.LinearAlgebra;
import org.sgdsim.math.TensorGrid;
import org.sgdsim.model.Loss;

/**
 * Exact expectations for a polynomial activation and a polynomial target by tensor Gauss–Hermite quadrature
 * (online-sgd.md §3.5): Ω = V·diag(s)·Vᵀ by symmetric eigendecomposition, eigenvalues below 1e-14·max dropped,
 * (λ, ν) = V·diag(√s)·ξ over a tensor grid in the remaining dimensions with ⌈(deg + 1)/2⌉ nodes per axis, where
 * deg is the highest total degree among the integrands (e²σ'σ' for the I4 term). Plain Cholesky would fail on
 * the singular Ω of identical or teacher-aligned students; the eigen-factor does not.
 */
final class GaussHermiteExpectations implements FieldExpectations
{
    /**
     * Negative eigenvalues of Ω down to −1e-4·max(1, max eigenvalue) are integration round-off near degenerate
     * states (students converged onto the teacher make Ω singular) and are clipped to 0; below that Ω is invalid.
     */
    private static final double PSD_TOLERANCE = 1e-4;

    private final StudentTeacher model;
    private final int points;
    private final int width;
    private final int k;
    private final int n;
    private final PointSums sums;
    private final double[] omega;
    private final double[] lambda;
    private final double[] nu;
    private final double[] field;
    private final int[] columns;
    private final TensorGrid[] grids;
    private final boolean exact;

    GaussHermiteExpectations(final StudentTeacher model, final int pointsPerAxis)
    {
        if (pointsPerAxis < 1 || pointsPerAxis > GaussHermite.MAX_POINTS)
        {
            throw new IllegalArgumentException("points per axis must be in 1.." + GaussHermite.MAX_POINTS);
        }
        this.model = model;
        this.points = pointsPerAxis;
        this.width = model.width();
        this.k = model.k();
        this.n = width + k;
        if (TensorGrid.count(n, pointsPerAxis) > Integer.MAX_VALUE / Math.max(1, n))
        {
            throw new IllegalArgumentException("a " + pointsPerAxis + "^" + n + " grid is too large");
        }
        this.sums = new PointSums(model);
        this.omega = new double[n * n];
        this.lambda = new double[width];
        this.nu = new double[k];
        this.field = new double[n];
        this.columns = new int[n];
        this.grids = new TensorGrid[n + 1];
        final int needed = exactPoints(model);
        this.exact = needed > 0 && pointsPerAxis >= needed;
    }

    /**
     * Nodes per axis that make every integrand exact, or 0 when σ or the target is not a polynomial.
     */
    static int exactPoints(final StudentTeacher model)
    {
        final int sigma = model.activation().polynomialDegree();
        if (sigma < 0 || model.target().polynomialDegree().isEmpty() || model.loss() == Loss.EXPONENTIAL)
        {
            return 0;
        }
        final int target = model.target().polynomialDegree().getAsInt();
        final int residual = Math.max(target, sigma);
        final int error = model.loss() == Loss.SQUARE ? residual : target;
        final int derivative = Math.max(sigma - 1, 0);
        final int i3 = error + derivative + 1;
        final int i4 = 2 * error + 2 * derivative;
        final int degree = Math.max(Math.max(i3, i4), 2 * residual);
        return degree / 2 + 1;
    }


    @Override
    public void evaluate(final double[] m, final double[] q, final FieldTerms out)
    {
        integrate(m, q, out);
    }

    @Override
    public void secondLayer(final double[] a)
    {
        sums.secondLayer(a);
    }

    @Override
    public double risk(final double[] m, final double[] q)
    {
        return integrate(m, q, null);
    }

    @Override
    public String method()
    {
        return (exact ? "gauss-hermite-exact" : "gauss-hermite") + " (tensor quadrature, " + points
            + " nodes per axis over the rank of Omega <= " + n + ")";
    }

    @Override
    public StudentTeacher model()
    {
        return model;
    }

    private double integrate(final double[] m, final double[] q, final FieldTerms out)
    {
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l < width; l++)
            {
                omega[j * n + l] = q[j * width + l];
            }
            for (int r = 0; r < k; r++)
            {
                omega[j * n + width + r] = m[j * k + r];
                omega[(width + r) * n + j] = m[j * k + r];
            }
        }
        for (int r = 0; r < k; r++)
        {
            for (int s = 0; s < k; s++)
            {
                omega[(width + r) * n + width + s] = r == s ? 1.0 : 0.0;
            }
        }
        final double[] factor = LinearAlgebra.psdFactor(omega, n, PSD_TOLERANCE);
        int rank = 0;
        for (int c = 0; c < n; c++)
        {
            for (int v = 0; v < n; v++)
            {
                if (factor[v * n + c] != 0.0)
                {
                    columns[rank++] = c;
                    break;
                }
            }
        }
        final TensorGrid grid = grid(rank);
        sums.begin(out);
        for (int i = 0; i < grid.size; i++)
        {
            final int off = i * rank;
            for (int v = 0; v < n; v++)
            {
                double s = 0.0;
                for (int c = 0; c < rank; c++)
                {
                    s += factor[v * n + columns[c]] * grid.nodes[off + c];
                }
                field[v] = s;
            }
            System.arraycopy(field, 0, lambda, 0, width);
            System.arraycopy(field, width, nu, 0, k);
            sums.add(grid.weights[i], lambda, nu, model.target().evaluate(nu), out);
        }
        return sums.end(out, 1.0);
    }

    private TensorGrid grid(final int dims)
    {
        TensorGrid g = grids[dims];
        if (g == null)
        {
            g = TensorGrid.of(dims, points);
            grids[dims] = g;
        }
        return g;
    }
}

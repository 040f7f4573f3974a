package org.sgdsim.theory;

import java.util.Objects;

import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;

/**
 * What the expectations over the local fields depend on: the target f*(z1..zk), the student
 * f(λ) = (1/p)·Σ_j a_j σ(λ_j) with its fixed second layer a, the training loss and the label noise Δ.
 *
 * @param target      f* as an expression in z1..zk; k is its arity.
 * @param activation  σ of the hidden units.
 * @param secondLayer a_j, one per hidden unit; p is its length.
 * @param loss        square (e = y − f) or correlation (e = y).
 * @param noise       Δ: y = f*(ν) + √Δ·ξ.
 */
public record StudentTeacher(Expression target, Activation activation, double[] secondLayer, Loss loss, double noise)
{
    /** Validates the parts and copies a. */
    public StudentTeacher
    {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(loss, "loss");
        if (target.arity() < 1)
        {
            throw new IllegalArgumentException("the target uses no variable z1..zk");
        }
        if (secondLayer.length < 1)
        {
            throw new IllegalArgumentException("the student needs at least one hidden unit");
        }
        if (!(noise >= 0.0))
        {
            throw new IllegalArgumentException("the label noise must be ≥ 0, got " + noise);
        }
        if (!loss.linearInLabel() && noise != 0.0)
        {
            throw new IllegalArgumentException("the theory covers the " + loss.configName()
                + " loss without label noise (its error is not affine in the label), got noise " + noise);
        }
        secondLayer = secondLayer.clone();
    }

    /** Hidden units p. */
    public int width()
    {
        return secondLayer.length;
    }

    /** Teacher directions k. */
    public int k()
    {
        return target.arity();
    }

    /** a_j (0-based). */
    public double a(final int j)
    {
        return secondLayer[j];
    }

    /** A copy of the second layer. */
    @Override
    public double[] secondLayer()
    {
        return secondLayer.clone();
    }
}

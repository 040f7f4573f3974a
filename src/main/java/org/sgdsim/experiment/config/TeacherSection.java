package org.sgdsim.experiment.config;

import org.sgdsim.experiment.UserError;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.math.expr.ExpressionException;

/** {@code teacher.target}: the target function of k teacher directions z1..zk. */
final class TeacherSection
{
    private TeacherSection()
    {
    }

    static Expression target(final ConfigReader r, final int dim)
    {
        final String text = r.string("teacher.target");
        final Expression target;
        try
        {
            target = Expression.parseTarget(text);
        }
        catch (final ExpressionException ex)
        {
            throw new UserError(r.where("teacher.target") + "teacher.target: " + ex.getMessage());
        }
        if (target.arity() < 1)
        {
            throw r.error("teacher.target", "an expression in z1..zk", text);
        }
        if (target.arity() > dim)
        {
            throw r.error("teacher.target", "at most data.dim = " + dim + " directions", target.text());
        }
        return target;
    }
}

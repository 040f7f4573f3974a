package org.sgdsim.train;

import java.util.Locale;

/**
 * The feedback options of dfa-optics.md §1.4–§1.7 and §7: the distribution of the feedback matrix, its
 * per-layer normalisation, how layers share the projection, and the transform applied to the error before it is
 * projected (the output layer always learns from the true e).
 *
 * @param distribution entries of the software matrix before normalisation (all of unit variance).
 * @param normalization per-layer scale of the projection.
 * @param slicing       disjoint row blocks per layer, or the same leading rows for every layer.
 * @param transform     what is sent through the projection instead of e.
 * @param threshold     τ of the ternary transform: t = sign(e) where |e| &gt; τ, else 0.
 * @param rescale       restores the magnitude lost by a transform.
 * @param rescaleConstant the constant c of {@link Rescale#CONSTANT}.
 */
public record FeedbackOptions(
    Distribution distribution,
    FeedbackScale normalization,
    Slicing slicing,
    Transform transform,
    double threshold,
    Rescale rescale,
    double rescaleConstant)
{
    /** Entry law of the software feedback matrix (unit variance). */
    public enum Distribution
    {
        /** N(0, 1). */
        GAUSS,
        /** U[−√3, √3]. */
        UNIFORM,
        /** √rows × the Q factor of a QR of a Gaussian rows × K matrix. */
        ORTHOGONAL;

        /** The config name. */
        public String configName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Per-layer scale of the projection. */
    public enum FeedbackScale
    {
        /** ÷ √n_l (default): E‖B_l e‖² = ‖e‖². */
        FAN_OUT,
        /** ÷ √K. */
        FAN_IN,
        /** Unscaled. */
        NONE;

        /** The config name. */
        public String configName()
        {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How hidden layers share the rows of the one projection (§1.5). */
    public enum Slicing
    {
        /** Layer l reads rows [o_l, o_l + n_l), o_l = Σ_{j&lt;l} n_j: needs Σ n_l rows. */
        BLOCKS,
        /** Layer l reads rows [0, n_l): equal widths get the same feedback; needs max n_l rows. */
        PREFIX;

        /** The config name. */
        public String configName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What goes through the projection (§1.7). */
    public enum Transform
    {
        /** e itself. */
        NONE,
        /** sign(e) where |e| &gt; τ, else 0 (the DMD is binary). */
        TERNARY,
        /** sign(e). */
        SIGN,
        /** −y, the one-hot target (DRTP-like). */
        TARGET;

        /** The config name. */
        public String configName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Magnitude restoration after a transform. */
    public enum Rescale
    {
        /** t as is (default; what §6 measured). */
        NONE,
        /** × mean‖e‖ / mean‖t‖ over the batch. */
        AUTO,
        /** × a constant c. */
        CONSTANT
    }

    /** Parses a config name into one of {@code values}, naming the choices on error. */
    public static <E extends Enum<E>> E parse(final Class<E> type, final String name)
    {
        final StringBuilder names = new StringBuilder();
        for (final E e : type.getEnumConstants())
        {
            final String n = e.name().toLowerCase(Locale.ROOT).replace('_', '-');
            if (n.equals(name))
            {
                return e;
            }
            names.append(names.length() == 0 ? "" : ", ").append(n);
        }
        throw new IllegalArgumentException("expected one of " + names + ", got '" + name + "'");
    }
}

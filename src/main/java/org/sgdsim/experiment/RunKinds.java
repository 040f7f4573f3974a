package org.sgdsim.experiment;

import java.util.List;
import java.util.function.Function;

import org.sgdsim.experiment.dfa.DfaKind;
import org.sgdsim.experiment.dfa.DfaSpec;
import org.sgdsim.experiment.online.OnlineKind;

/**
 * The run kinds the engine knows, by the spec each one runs: the one place in the engine that names a kind's package.
 * A new kind is one package under {@link RunKind}, one line here and its section reader in {@code ExperimentConfig}.
 */
final class RunKinds
{
    private static final List<Registered<?>> KINDS = List.of(
        new Registered<>(ExperimentSpec.class, OnlineKind.KIND, Footprint::online),
        new Registered<>(DfaSpec.class, DfaKind.KIND, Footprint::dfa));

    private record Registered<S extends Experiment>(Class<S> spec, RunKind<S, ?> kind, Function<S, Footprint> footprint)
    {
    }

    private RunKinds()
    {
    }

    /** The kind that runs {@code spec}. */
    @SuppressWarnings("unchecked")
    static <S extends Experiment> RunKind<S, ?> of(final S spec)
    {
        return (RunKind<S, ?>)registered(spec).kind();
    }

    /** The heap a run of {@code spec} needs, as its kind counts it. */
    static Footprint footprint(final Experiment spec)
    {
        return footprint(registered(spec), spec);
    }

    private static <S extends Experiment> Footprint footprint(final Registered<S> kind, final Experiment spec)
    {
        return kind.footprint().apply(kind.spec().cast(spec));
    }

    private static Registered<?> registered(final Experiment spec)
    {
        for (final Registered<?> r : KINDS)
        {
            if (r.spec().isInstance(spec))
            {
                return r;
            }
        }
        throw new IllegalArgumentException("no run kind runs a " + spec.getClass().getSimpleName());
    }
}

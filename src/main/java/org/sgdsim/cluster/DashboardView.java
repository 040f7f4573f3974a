package org.sgdsim.cluster;

import java.util.List;
import java.util.function.Supplier;

import org.sgdsim.web.ClusterView;

/** The dashboard's cluster panel ({@code GET /api/cluster}) fed from a node's {@link ClusterStatus}. */
public final class DashboardView implements ClusterView
{
    private final Supplier<ClusterStatus> status;

    /** A view of {@code status}, which may answer null until the node has started (then no members). */
    public DashboardView(final Supplier<ClusterStatus> status)
    {
        this.status = status;
    }

    @Override
    public List<Member> members()
    {
        final ClusterStatus s = status.get();
        if (s == null)
        {
            return List.of();
        }
        return s.snapshot().members().stream().map(m -> new Member(m.address(),
            m.reachable() ? m.status() : m.status() + " (unreachable)", m.roles(), m.runs())).toList();
    }
}

package org.sgdsim.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest {@link ClusterSnapshot} of a node, safe to poll from any thread (the web dashboard's
 * {@code GET /api/cluster}). Two writers publish into it: the membership monitor (members) and the node's
 * coordinator or worker (who runs what); each publishes an immutable value, readers combine the latest of each.
 */
public final class ClusterStatus
{
    private record Membership(String self, String role, List<ClusterSnapshot.Member> members)
    {
    }

    private record Work(Map<String, List<String>> runsByAddress, ClusterSnapshot.Sweep sweep)
    {
    }

    private final AtomicReference<Membership> membership =
        new AtomicReference<>(new Membership("", "", List.of()));
    private final AtomicReference<Work> work = new AtomicReference<>(new Work(Map.of(), null));

    /** The latest snapshot. */
    public ClusterSnapshot snapshot()
    {
        final Membership m = membership.get();
        final Work w = work.get();
        final List<ClusterSnapshot.Member> members = new ArrayList<>();
        for (final ClusterSnapshot.Member member : m.members())
        {
            members.add(new ClusterSnapshot.Member(member.address(), member.status(), member.reachable(),
                member.roles(), w.runsByAddress().getOrDefault(member.address(), List.of())));
        }
        return new ClusterSnapshot(m.self(), m.role(), members, w.sweep());
    }

    /** Publishes the members (runs left empty; they come from {@link #publishWork}). */
    void publishMembers(final String self, final String role, final List<ClusterSnapshot.Member> members)
    {
        membership.set(new Membership(self, role, List.copyOf(members)));
    }

    /** Publishes who runs what and the sweep's progress. */
    void publishWork(final Map<String, List<String>> runsByAddress, final ClusterSnapshot.Sweep sweep)
    {
        work.set(new Work(Map.copyOf(runsByAddress), sweep));
    }
}

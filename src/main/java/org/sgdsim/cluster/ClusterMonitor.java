package org.sgdsim.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Publishes this node's view of the membership into a {@link ClusterStatus} twice a second. Polling the cluster
 * state (rather than folding member events) keeps the published view equal to Pekko's own at every tick.
 */
final class ClusterMonitor
{
    /** The monitor's only message: time to look again. */
    enum Tick
    {
        INSTANCE
    }

    private static final Duration EVERY = Duration.ofMillis(500);

    private ClusterMonitor()
    {
    }

    /** A monitor publishing into {@code status} under the node's {@code role}. */
    static Behavior<Tick> create(final ClusterStatus status, final String role)
    {
        return Behaviors.withTimers(timers ->
        {
            timers.startTimerAtFixedRate(Tick.INSTANCE, EVERY);
            return Behaviors.setup(context ->
            {
                final Cluster cluster = Cluster.get(context.getSystem());
                publish(cluster, status, role);
                return Behaviors.receiveMessage(tick ->
                {
                    publish(cluster, status, role);
                    return Behaviors.same();
                });
            });
        });
    }

    private static void publish(final Cluster cluster, final ClusterStatus status, final String role)
    {
        final ClusterEvent.CurrentClusterState state = cluster.state();
        final Set<Address> unreachable = new HashSet<>();
        for (final Member m : state.getUnreachable())
        {
            unreachable.add(m.address());
        }
        final List<ClusterSnapshot.Member> members = new ArrayList<>();
        for (final Member m : state.getMembers())
        {
            members.add(new ClusterSnapshot.Member(m.address().toString(), m.status().toString(),
                !unreachable.contains(m.address()), new ArrayList<>(new java.util.TreeSet<>(m.getRoles()).stream()
                    .filter(r -> !r.startsWith("dc-")).toList()), List.of()));
        }
        status.publishMembers(cluster.selfMember().address().toString(), role, members);
    }
}

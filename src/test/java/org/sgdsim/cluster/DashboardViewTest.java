package org.sgdsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.sgdsim.web.ClusterView;

/** The dashboard's cluster panel shows each member with the runs it is running, and nothing before the node starts. */
class DashboardViewTest
{
    @Test
    void membersCarryTheirRunsAndReachability()
    {
        final AtomicReference<ClusterStatus> node = new AtomicReference<>();
        final DashboardView view = new DashboardView(node::get);
        assertEquals(List.of(), view.members(), "no node yet");

        final ClusterStatus status = new ClusterStatus();
        status.publishMembers("pekko://sgdsim@127.0.0.1:40001", "coordinator", List.of(
            new ClusterSnapshot.Member("pekko://sgdsim@127.0.0.1:2552", "Up", true, List.of("seed"), List.of()),
            new ClusterSnapshot.Member("pekko://sgdsim@127.0.0.1:40002", "Up", false, List.of("worker"), List.of())));
        status.publishWork(Map.of("pekko://sgdsim@127.0.0.1:40002", List.of("batch-size-4-seed1")),
            new ClusterSnapshot.Sweep("s", 6, 2, 1, 3));
        node.set(status);

        assertEquals(List.of(
            new ClusterView.Member("pekko://sgdsim@127.0.0.1:2552", "Up", List.of("seed"), List.of()),
            new ClusterView.Member("pekko://sgdsim@127.0.0.1:40002", "Up (unreachable)", List.of("worker"),
                List.of("batch-size-4-seed1"))), view.members());
    }
}

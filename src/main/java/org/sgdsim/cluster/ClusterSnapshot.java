package org.sgdsim.cluster;

import java.util.List;

/**
 * What a node knows about its cluster at one moment, for the live dashboard: the members and, for each, the runs
 * it is running (a sweep coordinator knows every worker's runs; a worker knows its own). Immutable.
 *
 * @param self    this node's address.
 * @param role    this node's role (seed, worker or coordinator).
 * @param members every member, in address order.
 * @param sweep   the sweep this node coordinates or last worked for, or null.
 */
public record ClusterSnapshot(String self, String role, List<Member> members, Sweep sweep)
{
    /** Copies the list. */
    public ClusterSnapshot
    {
        members = List.copyOf(members);
    }

    /**
     * One member.
     *
     * @param address   {@code pekko://name@host:port}.
     * @param status    Pekko's member status: Joining, WeaklyUp, Up, Leaving, Exiting, Down, Removed.
     * @param reachable whether this node's failure detector reaches it.
     * @param roles     its roles.
     * @param runs      the run folders it is running.
     */
    public record Member(String address, String status, boolean reachable, List<String> roles, List<String> runs)
    {
        /** Copies the lists. */
        public Member
        {
            roles = List.copyOf(roles);
            runs = List.copyOf(runs);
        }
    }

    /**
     * Progress of a sweep.
     *
     * @param name     its id ({@code <name>-<plan hash>}).
     * @param runs     runs in the plan.
     * @param finished runs with a result.
     * @param running  runs handed out and not finished.
     * @param queued   runs waiting for a worker.
     */
    public record Sweep(String name, int runs, int finished, int running, int queued)
    {
    }
}

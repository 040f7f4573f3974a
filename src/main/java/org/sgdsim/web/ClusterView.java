package org.sgdsim.web;

import java.util.List;

/**
 * What the dashboard shows of a cluster of sgdsim JVMs ({@code GET /api/cluster}); the cluster code registers an
 * implementation with {@link LiveServer#cluster(ClusterView)}. Called from the server's threads: implementations
 * answer from state they already hold, without blocking on the network.
 */
public interface ClusterView
{
    /** One JVM of the cluster. */
    record Member(String address, String status, List<String> roles, List<String> runs)
    {
        /** Copies the lists. */
        public Member
        {
            roles = List.copyOf(roles);
            runs = List.copyOf(runs);
        }
    }

    /** The members as last known, in a stable order. */
    List<Member> members();
}

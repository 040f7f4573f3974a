package org.sgdsim.cluster;

/** Marks the messages that cross nodes; ClusterSettings binds it to Jackson CBOR. */
public interface CborSerializable
{
}

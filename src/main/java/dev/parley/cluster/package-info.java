/**
 * Cluster mode, chosen by {@code parley.cluster.enabled}: what a node needs to be one of several (Redis only then,
 * PostgreSQL required, this node's id).
 */
package dev.parley.cluster;

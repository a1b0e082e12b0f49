/** The cluster scenarios: three nodes on one PostgreSQL and one Redis, measured from outside. */
package dev.parley.bench.cluster;

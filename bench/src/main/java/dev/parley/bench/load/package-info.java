/** The load generator: many WebSocket connections on one event-loop thread, counting and timing what arrives. */
package dev.parley.bench.load;

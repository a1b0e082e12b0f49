/**
 * One chat connection, whatever its transport: its bounded outbound buffer with the
 * slow-consumer policy, its per-room cursors that merge replay and live traffic by seq,
 * and the registry of open sessions. The WebSocket handler and the TCP gateway both sit on this.
 */
package dev.parley.session;

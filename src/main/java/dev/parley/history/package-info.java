/**
 * The durable per-room message log: gap-free per-room sequence numbers, group commit,
 * history and resume reads, and the users' read marks. Blocking JDBC runs only on the
 * store's own threads, never on an event loop.
 */
package dev.parley.history;

/**
 * The store behind the chat's seams ({@code MessageStore}, {@code ReadMarkStore}, {@code RoomStore},
 * {@code UserStore}, {@code TokenStore}): one JDBC implementation of each, in SQL that runs unchanged on the
 * embedded SQLite and on PostgreSQL, with blocking JDBC only on the store's own threads, never on an event loop.
 */
package dev.parley.storage;

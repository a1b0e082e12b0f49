/**
 * What the chat asks of its message log: {@link dev.parley.history.MessageStore} (append with a seq the store
 * assigns, history and resume reads) and {@link dev.parley.history.ReadMarkStore} (read marks, unread counts).
 * The implementations are in {@code dev.parley.storage}.
 */
package dev.parley.history;

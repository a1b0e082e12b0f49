/**
 * The WebSocket transport on {@code /ws}: handshake identity, the thin handler that
 * decodes frames for the chat service and writes the session's outbox, keep-alive, and
 * the slow-consumer cut-off.
 */
package dev.parley.websocket;

/**
 * The console gateway: chat over plain TCP lines (telnet, nc, scripts), through the same chat
 * services, limits and slow-consumer policy as the WebSocket.
 */
package dev.parley.gateway;

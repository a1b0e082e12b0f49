/**
 * Abuse limits: token buckets for frames, messages and logins, and caps on connections, handshakes
 * and rooms, each configurable under {@code parley.abuse.*} and counted in {@code parley.limits.refused}.
 */
package dev.parley.limits;

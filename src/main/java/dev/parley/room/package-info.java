/**
 * Rooms and their live fan-out: one Reactor sink per room that never waits for its
 * slowest member, carrying deliveries encoded once for every recipient.
 */
package dev.parley.room;

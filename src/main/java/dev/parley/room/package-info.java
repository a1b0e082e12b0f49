/**
 * Rooms: who belongs to each ({@link dev.parley.room.Room}, {@link dev.parley.room.RoomRegistry}), how they are
 * stored ({@link dev.parley.room.RoomStore}), and their live fan-out, which never waits for the slowest member and
 * carries deliveries encoded once for every recipient.
 */
package dev.parley.room;

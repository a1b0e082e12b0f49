/**
 * The bus: the seam between "a message was committed" and "the nodes hear of it", in-process on one node and
 * over Redis between several. A node reacts to what it hears ({@link dev.parley.bus.BusListener}) the same way
 * whether it came from itself or from another node.
 */
package dev.parley.bus;

/** The yardstick: a bare Reactor Netty broadcast server speaking just enough of the Parley contract. */
package dev.parley.bench.baseline;

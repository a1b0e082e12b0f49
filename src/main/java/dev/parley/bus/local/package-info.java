/** The bus of a single node: what is published is heard at once, in this process, and nowhere else. */
package dev.parley.bus.local;

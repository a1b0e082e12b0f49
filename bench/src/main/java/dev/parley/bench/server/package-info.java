/** Servers under test as pinned child processes, measured from outside through /proc and jcmd. */
package dev.parley.bench.server;

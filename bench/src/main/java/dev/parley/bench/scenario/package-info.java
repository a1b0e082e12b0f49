/** The benchmark scenarios S1 to S5 and the long hold, each a sequence of load steps and measurements. */
package dev.parley.bench.scenario;

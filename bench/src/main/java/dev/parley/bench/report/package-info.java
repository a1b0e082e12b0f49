/** Results as records, the markdown report and its charts. */
package dev.parley.bench.report;

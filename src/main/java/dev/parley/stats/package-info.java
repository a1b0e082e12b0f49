/** Statistics: the Micrometer meters under {@code parley.*}, live rates, and {@code /api/stats}, {@code /api/members}. */
package dev.parley.stats;

/**
 * The store's single line of writes: group commit of messages with the database assigning their seqs, other
 * writes in submission order, and deleted rooms' messages purged in chunks between batches.
 */
package dev.parley.storage.writer;

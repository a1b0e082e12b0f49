/** JDBC helpers every part of the store shares: running work on a pooled connection, stored times, copying tables. */
package dev.parley.storage.sql;

/** The embedded default database, SQLite in a file under {@code parley.data-dir}: its pool, checkpoints and the H2 import. */
package dev.parley.storage.embedded;

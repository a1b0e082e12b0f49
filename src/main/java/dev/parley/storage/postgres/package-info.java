/** The store on PostgreSQL, named by {@code spring.datasource.url}: its migration and the one-shot import of an embedded store. */
package dev.parley.storage.postgres;

/** Configuration: the validated {@code parley.*} property tree and the wiring of the web layer. */
package dev.parley.config;

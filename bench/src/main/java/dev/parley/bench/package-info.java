/** The Parley benchmark: runs the scenarios against the bare baseline and Parley and writes the report. */
package dev.parley.bench;

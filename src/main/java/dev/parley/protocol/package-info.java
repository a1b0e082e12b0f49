/**
 * The wire contract as data: sealed client and server frame records, error codes,
 * close codes, and the one JSON codec that turns bytes into frames and back.
 */
package dev.parley.protocol;

/** Shared HTTP plumbing: the contract's JSON error bodies for REST and refused handshakes. */
package dev.parley.web;

/**
 * Who is connecting: the authenticated chat user of a handshake. Guests by nickname
 * today; accounts, tokens and single sign-on plug in behind {@link dev.parley.identity.IdentityResolver}.
 */
package dev.parley.identity;

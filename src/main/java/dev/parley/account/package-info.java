/**
 * Accounts: registration, passwords (Argon2id, hashed off the event loops), login tokens stored
 * only as hashes, and the {@code /api/auth} endpoints.
 */
package dev.parley.account;

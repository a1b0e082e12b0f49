package dev.parley.account;

/**
 * A login token was ended: whatever it opened (WebSocket connections) ends too.
 *
 * @param tokenId the token's hash, as {@link AccountService#tokenId} gives it
 */
public record LoggedOut(String tokenId) {
}

package dev.parley.protocol;

/**
 * The contract's limits on client input, as configured.
 *
 * @param textMax most characters (code points) in a message after trimming
 * @param idMax most characters in a client {@code id}
 * @param historyMax largest {@code limit} of a history request
 * @param historyDefault {@code limit} when a history request has none
 * @param presenceSubMax most names in one {@code presence_sub}
 */
public record ProtocolLimits(int textMax, int idMax, int historyMax, int historyDefault, int presenceSubMax) {
}

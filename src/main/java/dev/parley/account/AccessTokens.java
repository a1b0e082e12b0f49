package dev.parley.account;

import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The format of login tokens: {@code prl_} and 256 random bits in base64url. The prefix tells a
 * Parley token from a JWT at a glance, and lets secret scanners find leaked ones. Only the
 * SHA-256 of a token is stored: it has full entropy, so a fast hash is enough, and a stolen
 * table holds no usable token.
 */
final class AccessTokens {
    static final String PREFIX = "prl_";
    private static final Pattern FORMAT = Pattern.compile("prl_[A-Za-z0-9_-]{43}");

    private AccessTokens() {
    }

    /**
     * Seeds the generator now. Call it at startup, off the event loops: seeding reads the system's
     * entropy source, a blocking read.
     */
    static void seed() {
        Generator.RANDOM.nextBytes(new byte[1]);
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        Generator.RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean isWellFormed(String token) {
        return token != null && FORMAT.matcher(token).matches();
    }

    /** Whether a credential is meant as a Parley token, well-formed or not. */
    static boolean isParleyToken(String credential) {
        return credential.startsWith(PREFIX);
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Its own class, so that only making a token loads (and seeds) it, not checking one's format. */
    private static final class Generator {
        /** DRBG: seeded once, then pure computation, so no read of the entropy source on an event loop. */
        static final SecureRandom RANDOM = drbg();
    }

    private static SecureRandom drbg() {
        try {
            SecureRandom random = SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
            // seeds now, on the thread that loads the class (see seed())
            random.nextBytes(new byte[1]);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM since 9 has DRBG", e);
        }
    }
}

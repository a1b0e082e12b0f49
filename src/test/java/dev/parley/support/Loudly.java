package dev.parley.support;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A warning the build log must show: written to the test JVM's own stderr, past Surefire's capture
 * (which files test output away under target/surefire-reports).
 */
final class Loudly {
    private static final PrintStream STDERR =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private Loudly() {
    }

    static void say(String message) {
        String bar = "!".repeat(100);
        STDERR.println("\n" + bar + "\n!!! " + message + "\n" + bar + "\n");
        System.err.println(message);
    }
}

package dev.parley.bench.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What starting another process on this machine needs: a free port, and the bench's own class path. */
public final class LocalProcesses {

    private LocalProcesses() {
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The bench jar (its manifest names its libraries), or the test class path when run from classes. */
    public static String ownClasspath() {
        try {
            Path location = Path.of(LocalProcesses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isDirectory(location) ? System.getProperty("java.class.path") : location.toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

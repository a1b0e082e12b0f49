package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The feature version of a JDK, from its {@code release} file. */
final class JavaVersion {

    private JavaVersion() {
    }

    static int of(Path javaHome) {
        Properties release = new Properties();
        try (var in = Files.newInputStream(javaHome.resolve("release"))) {
            release.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("no release file in " + javaHome, e);
        }
        String version = release.getProperty("JAVA_VERSION", "\"17\"").replace("\"", "");
        return Integer.parseInt(version.split("[.+-]")[0]);
    }

    static String describe(Path javaHome) {
        Properties release = new Properties();
        try (var in = Files.newInputStream(javaHome.resolve("release"))) {
            release.load(in);
        } catch (IOException e) {
            return javaHome.toString();
        }
        return (release.getProperty("IMPLEMENTOR", "") + " " + release.getProperty("JAVA_RUNTIME_VERSION",
                release.getProperty("JAVA_VERSION", ""))).replace("\"", "").trim();
    }
}

package dev.parley.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A headless Chromium from the machine (Debian's {@code /usr/bin/chromium}), driven by Playwright,
 * which never downloads a browser of its own. Where none is found the browser tests are skipped with
 * a loud message, unless {@code PARLEY_BROWSER_TESTS=required} (CI sets it) makes that a failure.
 */
public final class Browsers implements AutoCloseable {
    /** Set to {@code required} where a missing Chromium must fail the build rather than skip. */
    public static final String REQUIRED_VARIABLE = "PARLEY_BROWSER_TESTS";
    /** A Chromium elsewhere: {@code -Dparley.test.chromium=/path} or the variable {@code CHROMIUM}. */
    private static final String CHROMIUM_PROPERTY = "parley.test.chromium";
    private static final List<String> CANDIDATES =
            List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    // without the background-networking flags Chromium keeps dialling Google on a closed network
    private static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage");

    private final Playwright playwright;
    private final Browser browser;

    private Browsers(Path chromium) {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium).setHeadless(true).setArgs(FLAGS));
    }

    /** Starts Chromium, or skips (fails, where required) the calling tests when there is none. */
    public static Browsers launch() {
        WebPage.assumeBuilt();
        Optional<Path> chromium = find();
        if (chromium.isEmpty()) {
            String message = "BROWSER TESTS SKIPPED: no Chromium found (looked at " + CANDIDATES
                    + ", -D" + CHROMIUM_PROPERTY + " and $CHROMIUM). Install Debian's chromium package to run them.";
            Loudly.say(message);
            if ("required".equalsIgnoreCase(System.getenv(REQUIRED_VARIABLE))) {
                Assertions.fail(message + " " + REQUIRED_VARIABLE + "=required makes this a failure.");
            }
            Assumptions.abort(message);
        }
        return new Browsers(chromium.get());
    }

    public Browser browser() {
        return browser;
    }

    private static Optional<Path> find() {
        Stream<String> configured = Stream.of(System.getProperty(CHROMIUM_PROPERTY), System.getenv("CHROMIUM"));
        return Stream.concat(configured, CANDIDATES.stream())
                .filter(path -> path != null && !path.isBlank())
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}

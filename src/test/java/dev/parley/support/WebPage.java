package dev.parley.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.springframework.core.io.ClassPathResource;

/**
 * Whether the web page (frontend/, built by Maven's frontend profile) is on the classpath. A backend-only
 * build ({@code -Dskip.frontend}) leaves it out; the tests of the page then skip, or fail where
 * {@code PARLEY_BROWSER_TESTS=required}.
 */
public final class WebPage {
    private WebPage() {
    }

    public static boolean isBuilt() {
        return new ClassPathResource("static/index.html").exists();
    }

    public static void assumeBuilt() {
        if (isBuilt()) {
            return;
        }
        String message = "WEB PAGE TESTS SKIPPED: the page is not built (-Dskip.frontend); build without it to run them.";
        Loudly.say(message);
        if ("required".equalsIgnoreCase(System.getenv(Browsers.REQUIRED_VARIABLE))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }
}

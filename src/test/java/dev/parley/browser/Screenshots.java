package dev.parley.browser;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ScreenshotAnimations;

import java.nio.file.Path;

/**
 * Pictures of the page for the README. Always written to {@code target/screenshots}; with
 * {@code -Dparley.screenshots=docs/screenshots} (as docs/README say) also where the docs keep them.
 */
final class Screenshots {
    private Screenshots() {
    }

    static void save(ChatTab tab, String name) {
        take(tab, Path.of("target", "screenshots", name));
        String docs = System.getProperty("parley.screenshots");
        if (docs != null && !docs.isBlank()) {
            take(tab, Path.of(docs, name));
        }
    }

    private static void take(ChatTab tab, Path file) {
        tab.page.screenshot(new Page.ScreenshotOptions().setPath(file).setAnimations(ScreenshotAnimations.DISABLED));
    }
}

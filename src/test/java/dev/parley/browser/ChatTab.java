package dev.parley.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One person's browser window on the chat page (its own context: its own cookies), driven the way a
 * person would: by labels, roles and visible text. Every wait is bounded by Playwright's timeout.
 */
final class ChatTab implements AutoCloseable {
    static final double TIMEOUT_MS = 15_000;

    private final BrowserContext context;
    final Page page;

    /** Uncaught exceptions and Content-Security-Policy refusals: the page must have none. */
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();

    ChatTab(Browser browser, int port, Browser.NewContextOptions options) {
        this.context = browser.newContext(options.setBaseURL("http://localhost:" + port));
        this.context.setDefaultTimeout(TIMEOUT_MS);
        this.page = context.newPage();
        page.onPageError(error -> pageErrors.add("uncaught: " + error));
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type()) && message.text().contains("Content Security Policy")) {
                pageErrors.add(message.text());
            }
        });
    }

    void assertNoPageErrors() {
        assertThat(pageErrors).as("errors on the page").isEmpty();
    }

    ChatTab asGuest(String nickname) {
        page.navigate("/");
        page.getByLabel("Nickname").fill(nickname);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join as guest")).click();
        return connected();
    }

    ChatTab registerAs(String username, String password) {
        page.navigate("/");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Register")).click();
        page.getByLabel("Username").fill(username);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        return connected();
    }

    ChatTab connected() {
        assertThat(page.locator(".connection")).hasAttribute("data-state", "open");
        return this;
    }

    /** Types into the composer and presses Enter. */
    void send(String text) {
        Locator composer = page.locator("#composer-input");
        composer.fill(text);
        composer.press("Enter");
    }

    Locator messages() {
        return page.locator(".messages li.message:not(.pending)");
    }

    Locator message(String text) {
        return messages().filter(new Locator.FilterOptions().setHasText(text));
    }

    void seesMessage(String text) {
        assertThat(message(text)).hasCount(1);
    }

    Locator roomLink(String room) {
        return page.locator(".room-link[data-room='" + room + "']");
    }

    void open(String room) {
        roomLink(room).click();
        assertThat(page.locator("#room-title")).containsText(room.startsWith("@") ? "Conversation" : room);
    }

    void seesTitle(String text) {
        assertThat(page.locator("#room-title")).containsText(text);
    }

    Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    Locator online(String user) {
        return page.locator(".people [data-user='" + user + "']");
    }

    /** The seqs of the messages on screen, top to bottom. */
    List<Integer> seqs() {
        Object values = messages().evaluateAll("items => items.map(item => Number(item.dataset.seq))");
        return ((List<?>) values).stream().map(value -> ((Number) value).intValue()).toList();
    }

    @Override
    public void close() {
        context.close();
    }
}

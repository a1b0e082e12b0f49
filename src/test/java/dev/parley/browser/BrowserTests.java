package dev.parley.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.parley.support.Accounts;
import dev.parley.support.Browsers;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyProcess;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page in a real browser (headless Chromium) against the whole application on a random
 * port: people chatting in separate browser contexts, a private conversation and its group, a room
 * created and joined, a dropped connection that resumes without loss or duplicates, the phone
 * layout, and the statistics page drawing its charts. The screenshots in docs/ come from here.
 */
@ParleyTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTests {
    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private Browsers browsers;
    private final List<ChatTab> tabs = new ArrayList<>();

    @BeforeAll
    void launch() {
        browsers = Browsers.launch();
    }

    @AfterAll
    void quit() {
        if (browsers != null) {
            browsers.close();
        }
    }

    @AfterEach
    void closeTabs() {
        try {
            tabs.forEach(ChatTab::assertNoPageErrors);
        } finally {
            tabs.forEach(ChatTab::close);
            tabs.clear();
        }
    }

    @Test
    void aGuestAndARegisteredUserChat() {
        ChatTab ada = tab().asGuest("ada_web");
        ChatTab bob = tab().registerAs("bob_web", Accounts.password("bob_web"));
        assertThat(ada.online("bob_web")).isVisible();
        assertThat(bob.online("ada_web")).isVisible();

        ada.send("Hello from the browser, bob!");
        bob.seesMessage("Hello from the browser, bob!");
        ada.seesMessage("Hello from the browser, bob!");
        // screen readers hear it through the page's live region
        assertThat(bob.page.locator(".visually-hidden[aria-live=polite]")).hasText("ada_web: Hello from the browser, bob!");

        bob.page.locator("#composer-input").pressSequentially("hi a");
        assertThat(ada.page.locator(".typing")).hasText("bob_web is typing…");
        Locator composer = bob.page.locator("#composer-input");
        composer.fill("Hi ada! <b>not bold</b> see https://example.org/docs.");
        composer.press("Shift+Enter");
        composer.pressSequentially("second line");
        composer.press("Enter");

        Locator reply = ada.message("not bold");
        assertThat(reply).hasCount(1);
        assertThat(reply.locator("b")).hasCount(0);
        assertThat(reply.locator(".text")).containsText("<b>not bold</b>");
        assertThat(reply.locator(".text")).containsText("\nsecond line");
        assertThat(reply.locator("a")).hasAttribute("href", "https://example.org/docs");
        assertThat(reply.locator("a")).hasAttribute("rel", "noopener noreferrer nofollow");
        assertThat(ada.page.locator(".typing")).hasText("");

        bob.send("Shall we open a room for the release?");
        ada.send("Yes, and invite the others.");
        bob.seesMessage("Yes, and invite the others.");

        // the picture for the README: a conversation waiting, someone typing
        clients.welcomedGuest(port, "carol_web");
        bob.online("ada_web").click();
        bob.send("Quick question about the release notes");
        assertThat(ada.roomLink("@ada_web+bob_web")).hasAttribute("data-unread", "1");
        bob.open("general");
        bob.page.locator("#composer-input").pressSequentially("on it");
        assertThat(ada.page.locator(".typing")).hasText("bob_web is typing…");
        Screenshots.save(ada, "chat.png");
    }

    @Test
    void clickingSomeoneOnlineOpensAPrivateConversationAndAddingAPersonOpensTheGroup() {
        Accounts.register(port, "eve_web");
        ChatTab cleo = tab().asGuest("cleo_web");
        ChatTab dan = tab().asGuest("dan_web");

        cleo.online("dan_web").click();
        cleo.seesTitle("Conversation with dan_web");
        cleo.send("psst, dan");
        cleo.seesMessage("psst, dan");

        Locator pair = dan.roomLink("@cleo_web+dan_web");
        assertThat(pair).hasAttribute("data-unread", "1");
        assertThat(pair.locator(".unread")).hasText("1 unread");
        dan.open("@cleo_web+dan_web");
        dan.seesMessage("psst, dan");
        assertThat(pair).hasAttribute("data-unread", "0");

        cleo.button("Add person").click();
        cleo.page.locator("#invitee").fill("eve_web");
        cleo.button("Add").click();
        cleo.seesTitle("Conversation with dan_web, eve_web");
        assertThat(cleo.roomLink("@cleo_web+dan_web+eve_web")).isVisible();
        assertThat(dan.roomLink("@cleo_web+dan_web+eve_web")).isVisible();
        cleo.send("the three of us");
        dan.open("@cleo_web+dan_web+eve_web");
        dan.seesMessage("the three of us");
        // the pair's history stays the pair's
        assertThat(dan.message("psst, dan")).hasCount(0);
    }

    @Test
    void aRoomIsCreatedJoinedFromTheListAndLeft() {
        ChatTab fay = tab().asGuest("fay_web");
        ChatTab gus = tab().asGuest("gus_web");

        fay.button("New").click();
        fay.page.getByLabel("Room name").fill("garden_web");
        fay.button("Create").click();
        fay.seesTitle("garden_web");

        gus.button("Browse").click();
        gus.page.locator("[data-join='garden_web']").click();
        gus.seesTitle("garden_web");
        assertThat(fay.page.locator(".notice")).containsText(new String[] {"gus_web joined"});

        gus.send("hello garden");
        fay.seesMessage("hello garden");

        gus.button("Leave").click();
        gus.seesTitle("general");
        assertThat(gus.roomLink("garden_web")).hasCount(0);
        assertThat(fay.page.locator(".notice").last()).hasText("gus_web left");
    }

    @Test
    void aDroppedConnectionResumesWithEveryMessageOnceAndInOrder() {
        ChatTab hal = tab();
        // the page's WebSocket goes through a gate the test can cut, like a network that drops
        AtomicBoolean offline = new AtomicBoolean();
        List<WebSocketRoute> wires = new CopyOnWriteArrayList<>();
        hal.page.routeWebSocket(Pattern.compile(".*/ws(\\?.*)?$"), page -> {
            if (offline.get()) {
                page.close();
                return;
            }
            wires.add(page);
            wires.add(page.connectToServer());
        });
        hal.asGuest("hal_web");
        ChatClient ivy = clients.welcomedGuest(port, "ivy_web");
        ivy.call(Map.of("type", "send", "room", "general", "text", "before the drop"));
        hal.seesMessage("before the drop");

        offline.set(true);
        wires.forEach(WebSocketRoute::close);
        wires.clear();
        assertThat(hal.page.locator(".banner[data-state=reconnecting]")).isVisible();
        List<String> missed = IntStream.rangeClosed(1, 5).mapToObj(i -> "while hal was away " + i).toList();
        missed.forEach(text -> ivy.call(Map.of("type", "send", "room", "general", "text", text)));

        // back online: the next attempt of the backoff (a few seconds at most by now) gets through
        offline.set(false);
        hal.connected();
        missed.forEach(hal::seesMessage);
        hal.seesMessage("before the drop");
        List<Integer> seqs = hal.seqs();
        assertThat(seqs).doesNotHaveDuplicates().isSorted();
        assertThat(seqs.get(seqs.size() - 1) - seqs.get(0)).isEqualTo(seqs.size() - 1);

        hal.send("back again");
        ivy.await(frame -> "message".equals(frame.path("type").asString()) && "back again".equals(frame.path("text").asString()));
    }

    @Test
    void afterAServerRestartThePageHasEveryMessageOnceAndInOrder(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        ParleyProcess first = ParleyProcess.start(dataDir, port);
        ChatTab nia;
        try (ChatClient writer = ChatClient.connect(port, "nickname=writer_web")) {
            writer.welcome();
            nia = new ChatTab(browsers.browser(), port, new Browser.NewContextOptions().setViewportSize(1280, 800));
            tabs.add(nia);
            nia.registerAs("nia_web", Accounts.password("nia_web"));
            writer.call(Map.of("type", "send", "room", "general", "text", "before the restart"));
            nia.seesMessage("before the restart");
        } finally {
            first.terminate();
            first.awaitExit();
        }
        assertThat(nia.page.locator(".banner[data-state=reconnecting]")).isVisible();

        try (ParleyProcess second = ParleyProcess.start(dataDir, port);
             ChatClient writer = ChatClient.connect(second.port(), "nickname=writer_web")) {
            writer.welcome();
            List<String> missed = IntStream.rangeClosed(1, 3).mapToObj(i -> "after the restart " + i).toList();
            missed.forEach(text -> writer.call(Map.of("type", "send", "room", "general", "text", text)));
            // the account's session cookie outlives the restart; the backoff's next attempt gets through
            assertThat(nia.page.locator(".connection")).hasAttribute("data-state", "open",
                    new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
            missed.forEach(nia::seesMessage);
            nia.seesMessage("before the restart");
            List<Integer> seqs = nia.seqs();
            assertThat(seqs).doesNotHaveDuplicates().isSorted();
            assertThat(seqs.get(seqs.size() - 1) - seqs.get(0)).isEqualTo(seqs.size() - 1);
            nia.close();
            tabs.remove(nia);
        }
    }

    @Test
    void atPhoneWidthTheSidebarIsADrawer() {
        ChatTab jo = tab(new Browser.NewContextOptions().setViewportSize(390, 844).setIsMobile(true).setHasTouch(true))
                .asGuest("jo_web");
        Locator sidebar = jo.page.locator("#sidebar");
        assertThat(sidebar).isHidden();
        jo.page.locator(".menu-toggle").click();
        assertThat(sidebar).isVisible();
        jo.roomLink("general").click();
        assertThat(sidebar).isHidden();
        jo.send("typed on a phone");
        jo.seesMessage("typed on a phone");
        Screenshots.save(jo, "phone.png");
    }

    @Test
    void theStatisticsPageDrawsLiveCharts() {
        ChatClient kim = clients.welcomedGuest(port, "kim_web");
        kim.call(Map.of("type", "create", "room", "stats_web", "visibility", "public"));
        clients.welcomedGuest(port, "lee_web").call(Map.of("type", "join", "room", "stats_web"));
        ChatTab viewer = tab(new Browser.NewContextOptions().setViewportSize(1280, 1000).setColorScheme(ColorScheme.DARK));
        viewer.page.navigate("/#/stats");
        for (int i = 1; i <= 6; i++) {
            kim.call(Map.of("type", "send", "room", "stats_web", "text", "busy " + i));
        }
        assertThat(viewer.page.locator("figure.chart canvas")).hasCount(2);
        viewer.page.waitForFunction("() => [...document.querySelectorAll('figure.chart')]"
                + ".every(chart => Number(chart.dataset.points) >= 4)", null,
                new Page.WaitForFunctionOptions().setTimeout(ChatTab.TIMEOUT_MS));
        assertThat(viewer.page.locator(".bars li").filter(new Locator.FilterOptions().setHasText("stats_web")))
                .containsText("6");
        assertThat(viewer.page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                new Page.GetByRoleOptions().setName("Prometheus metrics"))).hasAttribute("href", "/actuator/prometheus");
        Screenshots.save(viewer, "stats.png");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private ChatTab tab() {
        return tab(new Browser.NewContextOptions().setViewportSize(1280, 800));
    }

    private ChatTab tab(Browser.NewContextOptions options) {
        ChatTab tab = new ChatTab(browsers.browser(), port, options);
        tabs.add(tab);
        return tab;
    }
}

package dev.parley.support;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * Real accounts over the real {@code /api/auth} endpoints: register (once per server; a name taken
 * already is fine), log in, and use the token. Each user's password is derived from its name.
 */
public final class Accounts {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Accounts() {
    }

    public static String password(String name) {
        return "pw-of-" + name;
    }

    public static WebTestClient http(int port) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(ChatClient.TIMEOUT).build();
    }

    /** Registers the user unless it exists, logs it in, and returns its token. */
    public static String token(int port, String name) {
        register(port, name);
        return login(port, name).get("token").asString();
    }

    /** Registers the user; 201, or 409 if a previous test did already. */
    public static void register(int port, String name) {
        int status = post(port, "/api/auth/register", credentials(name, password(name)));
        if (status != 201 && status != 409) {
            throw new AssertionError("registering " + name + " answered " + status);
        }
    }

    /** Logs in with the user's password: the body {@code {"username","token"}}. */
    public static JsonNode login(int port, String name) {
        String body = http(port).post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(credentials(name, password(name))).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    public static String credentials(String username, String password) {
        return JSON.writeValueAsString(Map.of("username", username, "password", password));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** An authenticated GET, as a request spec to check. */
    public static WebTestClient.RequestHeadersSpec<?> get(int port, String token, String path, Object... variables) {
        return http(port).get().uri(path, variables).header(HttpHeaders.AUTHORIZATION, bearer(token));
    }

    /** A WebSocket handshake as a plain HTTP request: what it is refused with is the answer to check. */
    public static WebTestClient.RequestHeadersSpec<?> handshake(int port, String query) {
        return http(port).get().uri("/ws?" + query)
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade");
    }

    private static int post(int port, String path, String json) {
        return http(port).post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange()
                .returnResult(String.class).getStatus().value();
    }
}

package dev.parley.bench.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Registers a user and signs it in over the HTTP API, for the clients that resume as the same user. */
final class SignUp {

    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final String PASSWORD = "bench-password";

    private SignUp() {
    }

    /** A bearer token of the new user {@code name}, registered through {@code node}. */
    static String token(HttpClient http, InetSocketAddress node, String name) {
        String body = "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}";
        post(http, node, "/api/auth/register", body);
        Matcher token = TOKEN.matcher(post(http, node, "/api/auth/login", body));
        if (!token.find()) {
            throw new IllegalStateException("no token for " + name);
        }
        return token.group(1);
    }

    private static String post(HttpClient http, InetSocketAddress node, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + node.getHostString() + ":" + node.getPort() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.parley.web;

import org.springframework.http.server.reactive.ServerHttpRequest;

import java.net.InetSocketAddress;

/**
 * The address a request came from, for per-address limits. Behind a load balancer this is the
 * balancer, unless {@code server.forward-headers-strategy} makes Spring trust its
 * {@code X-Forwarded-For} (see the README).
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote != null && remote.getAddress() != null ? remote.getAddress().getHostAddress() : "unknown";
    }
}

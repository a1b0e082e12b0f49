package dev.parley.config;

import dev.parley.gateway.TcpGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.OptionalInt;

/** Logs the one {@code Parley started} line that operators and test harnesses wait for. */
@Component
class StartupLog {
    private static final Logger log = LoggerFactory.getLogger("dev.parley");
    private final TcpGateway gateway;

    StartupLog(TcpGateway gateway) {
        this.gateway = gateway;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        int http = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : -1;
        OptionalInt tcp = gateway.port();
        log.info("Parley started: http={} tcp={}", http, tcp.isPresent() ? Integer.toString(tcp.getAsInt()) : "off");
    }
}

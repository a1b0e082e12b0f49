package dev.parley.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs the one {@code Parley started} line that operators and test harnesses wait for. */
@Component
class StartupLog {
    private static final Logger log = LoggerFactory.getLogger("dev.parley");

    @EventListener
    void ready(ApplicationReadyEvent event) {
        int http = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : -1;
        // the console gateway arrives with its own issue; until then it is off
        log.info("Parley started: http={} tcp=off", http);
    }
}

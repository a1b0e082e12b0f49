package dev.parley.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails a test during which BlockHound saw a blocking call on a non-blocking thread, even
 * one an operator swallowed. Registered for every test by JUnit's extension auto-detection
 * ({@code junit-platform.properties} and {@code META-INF/services}).
 */
public class NoBlockingCalls implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            assertThat(ParleyBlockHoundIntegration.VIOLATIONS).as("blocking calls on non-blocking threads").isEmpty();
        } finally {
            ParleyBlockHoundIntegration.VIOLATIONS.clear();
        }
    }
}

package dev.parley.support;

import dev.parley.config.ParleyProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

/** {@link ParleyProperties} bound the way Spring binds them, without a context: defaults plus overrides. */
public final class TestProperties {

    private TestProperties() {
    }

    /** Every default, as declared by the record's {@code @DefaultValue}s. */
    public static ParleyProperties defaults() {
        return with(Map.of());
    }

    /** The defaults with some properties set, e.g. {@code "parley.presence.broadcast-max" -> "2"}. */
    public static ParleyProperties with(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("parley", ParleyProperties.class);
    }
}

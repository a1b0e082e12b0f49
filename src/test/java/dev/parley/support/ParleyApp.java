package dev.parley.support;

import dev.parley.ParleyApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

import java.nio.file.Path;

/**
 * The whole application in this JVM, started and stopped by the test (to restart it on the same
 * store), with exactly the test configurations named: the others on the classpath are not scanned. Each runs on
 * event loops of its own ({@link OwnNettyResources}), so closing one leaves the others running.
 */
public final class ParleyApp implements AutoCloseable {
    private final ConfigurableApplicationContext context;

    private ParleyApp(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static ParleyApp start(Path dataDir, Class<?>[] testConfigurations, String... args) {
        Object[] sources = new Class<?>[testConfigurations.length + 2];
        sources[0] = ParleyApplication.class;
        sources[1] = OwnNettyResources.class;
        System.arraycopy(testConfigurations, 0, sources, 2, testConfigurations.length);
        String[] arguments = new String[args.length + 3];
        arguments[0] = "--server.port=0";
        arguments[1] = "--parley.data-dir=" + dataDir;
        arguments[2] = "--parley.tcp.port=0";
        System.arraycopy(args, 0, arguments, 3, args.length);
        return new ParleyApp(new SpringApplicationBuilder((Class<?>[]) sources)
                .initializers(context -> context.getBeanFactory()
                        .registerSingleton(TestConfigurationsExcluded.class.getName(), new TestConfigurationsExcluded()))
                .run(arguments));
    }

    public int port() {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }

    /** What a test context leaves out of component scanning: test configurations nobody asked for. */
    static final class TestConfigurationsExcluded extends TypeExcludeFilter {
        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
            return reader.getAnnotationMetadata().hasAnnotation(TestConfiguration.class.getName());
        }

        @Override
        public boolean equals(Object other) {
            return other != null && other.getClass() == getClass();
        }

        @Override
        public int hashCode() {
            return getClass().hashCode();
        }
    }
}

package dev.parley.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;

import java.time.Duration;

/**
 * The web page's scripts and styles (Vite names each file after a hash of its content) are cached
 * for a year: a new build has new names. {@code index.html}, which names them, is never cached, so a
 * deploy reaches every browser on its next load.
 */
@Configuration(proxyBeanMethods = false)
class StaticAssets implements WebFluxConfigurer {
    private static final CacheControl IMMUTABLE = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**")
                .addResourceLocations("classpath:/static/assets/")
                .setCacheControl(IMMUTABLE);
    }
}

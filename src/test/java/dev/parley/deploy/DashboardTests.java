package dev.parley.deploy;

import dev.parley.support.ClusterNodes;
import dev.parley.support.ParleyApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grafana does not run here, so the provisioned dashboard is checked against what it reads: every meter its
 * queries name is one a cluster node exports at {@code /actuator/prometheus}, the path Prometheus scrapes.
 */
class DashboardTests {
    private static final Path DASHBOARD = Path.of("deploy/grafana/dashboards/parley.json");
    private static final Path PROMETHEUS = Path.of("deploy/prometheus/prometheus.yml");
    /** A series name in PromQL, without the suffixes a histogram or counter adds to its meter's name. */
    private static final Pattern SERIES = Pattern.compile("\\b(parley_[a-z_]+?)(_bucket|_total)?\\b");

    @RegisterExtension
    final ClusterNodes cluster = new ClusterNodes();

    @Test
    void everyPanelReadsAMeterThatANodeExports() throws IOException, InterruptedException {
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : JsonMapper.builder().build().readTree(DASHBOARD.toFile()).get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher series = SERIES.matcher(target.get("expr").asString());
                while (series.find()) {
                    queried.add(series.group(1));
                }
            }
        }
        assertThat(queried).hasSizeGreaterThan(8);
        assertThat(Files.readString(PROMETHEUS)).contains("metrics_path: /actuator/prometheus");

        ParleyApp node = cluster.start(1).get(0);
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.port() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(scrape.statusCode()).isEqualTo(200);
        for (String meter : queried) {
            assertThat(scrape.body()).as("the dashboard reads %s", meter).containsPattern("(?m)^# TYPE " + meter + "(_total)? ");
        }
    }
}

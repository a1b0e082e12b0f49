package dev.parley.bench;

import dev.parley.bench.report.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark is not a test: this only proves that a scaled-down run works end to end against both
 * servers (started as real processes) and writes its report. No figure is judged.
 */
class BenchSmokeTests {

    @Test
    void smokeRunMeasuresBothServersAndWritesTheReport(@TempDir Path out) throws Exception {
        Path parleyJar = Path.of(System.getProperty("parley.jar", "../target/parley-0.1.0-SNAPSHOT.jar"));
        assertThat(parleyJar).as("the Parley jar; build the server first (./mvnw package)").isRegularFile();

        Results.Run run = new Bench(BenchOptions.smoke(parleyJar, Path.of(System.getProperty("java.home")), out))
                .run();

        assertThat(run.targets()).containsOnlyKeys("baseline", "parley");
        run.targets().values().forEach(target -> {
            assertThat(target.idle()).as(target.name() + " S1").isNotEmpty();
            assertThat(target.oneRoom()).as(target.name() + " S2").isNotEmpty()
                    .allSatisfy(point -> assertThat(point.delivered()).isPositive());
            assertThat(target.stalled()).as(target.name() + " S5").isNotNull();
            assertThat(target.ingest()).as(target.name() + " S4").isNotEmpty()
                    .allSatisfy(point -> assertThat(point.ackedPerSecond()).isPositive());
        });
        assertThat(Files.readString(out.resolve("benchmarks.md"))).contains("S1", "S2", "S3", "S4", "S5");
        assertThat(out.resolve("benchmarks/results.json")).isRegularFile();
        assertThat(out.resolve("benchmarks/s2-latency.png")).isRegularFile();
    }
}

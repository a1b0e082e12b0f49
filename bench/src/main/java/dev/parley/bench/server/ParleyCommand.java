package dev.parley.bench.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command-line arguments of a Parley server under measurement: its jar, ports, store and limits. */
public final class ParleyCommand {

    /**
     * Abuse limits far beyond any scenario: the load generator is one abuser by every measure (many connections
     * from few addresses, thousands of messages per second per user), and the limits are not what is measured.
     */
    private static final List<String> UNLIMITED = List.of(
            "--parley.abuse.frames-per-second=1000000000", "--parley.abuse.frames-burst=1000000000",
            "--parley.abuse.messages-per-second=1000000000", "--parley.abuse.messages-burst=1000000000",
            "--parley.abuse.connections-per-user=1000000", "--parley.abuse.connections-per-address=1000000",
            "--parley.abuse.handshakes=1000000", "--parley.abuse.rooms-per-user=1000000",
            "--parley.abuse.auth-per-minute=1000000");

    private ParleyCommand() {
    }

    /** {@code -jar} and the options every Parley target runs with: no console port, quiet logs, no limits. */
    public static List<String> of(Path jar, int port, Path dataDir) {
        List<String> args = new ArrayList<>(List.of("-jar", jar.toAbsolutePath().toString(),
                "--server.port=" + port, "--parley.tcp.port=-1", "--parley.data-dir=" + dataDir,
                "--logging.level.root=warn"));
        args.addAll(UNLIMITED);
        return args;
    }

    /** The store on {@code database}, in its own schema: a new, empty store, as the embedded one is a new file. */
    public static List<String> postgresStore(Database database, String schema) {
        String url = database.url();
        return List.of("--spring.datasource.url=" + url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                "--spring.flyway.schemas=" + schema, "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password());
    }
}

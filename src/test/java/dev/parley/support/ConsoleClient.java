package dev.parley.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A console user over a real TCP socket, as telnet or nc would be: lines out, lines in. Every read
 * waits at most {@link ChatClient#TIMEOUT}. Blocking I/O, on the test's own thread.
 */
public final class ConsoleClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private ConsoleClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static ConsoleClient connect(int port) {
        return connect(port, 0);
    }

    /** @param receiveBuffer SO_RCVBUF in bytes (0: the system's); small makes TCP back up sooner */
    public static ConsoleClient connect(int port, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("localhost", port), (int) ChatClient.TIMEOUT.toMillis());
            socket.setSoTimeout((int) ChatClient.TIMEOUT.toMillis());
            return new ConsoleClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and logs in as a guest: past {@code HELLO} and the recent lines of general. */
    public static ConsoleClient guest(int port, String nick) {
        ConsoleClient console = connect(port);
        console.expect("YOUR NICK?");
        console.send(nick);
        console.expect("HELLO " + nick);
        console.sync();
        return console;
    }

    public void send(String line) {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line, without its line end; null at the end of the stream. */
    public String line() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    break;
                }
                line.write(b);
            }
            if (b == -1 && line.size() == 0) {
                return null;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no line within " + ChatClient.TIMEOUT + (line.size() > 0 ? " (had: " + line + ")" : ""));
        } catch (IOException e) {
            return null;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** The next line, which must be this one. */
    public void expect(String exact) {
        String line = line();
        if (!exact.equals(line)) {
            throw new AssertionError("expected '" + exact + "' but got '" + line + "'");
        }
    }

    /** The next line that matches, skipping others. */
    public String await(Predicate<String> matches) {
        String line;
        while ((line = line()) != null) {
            if (matches.test(line)) {
                return line;
            }
        }
        throw new AssertionError("the connection ended before a matching line");
    }

    /**
     * Every line until the answer to {@code /who} (which asks nothing of the chat): what arrived
     * before it. A barrier, like a ping.
     */
    public List<String> sync() {
        send("/who");
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = line()) != null && !line.startsWith("ONLINE")) {
            lines.add(line);
        }
        if (line == null) {
            throw new AssertionError("the connection ended; before that: " + lines);
        }
        return lines;
    }

    /** Reads to the end of the stream: the server closed the connection. Returns the lines before. */
    public List<String> untilClosed() {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = line()) != null) {
            lines.add(line);
        }
        return lines;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}

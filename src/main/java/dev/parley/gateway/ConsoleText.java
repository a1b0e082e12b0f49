package dev.parley.gateway;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Bytes to lines and back: strict UTF-8 in, and nothing out that a terminal would take as a command. */
final class ConsoleText {
    private static final char REPLACEMENT = '\uFFFD';

    private ConsoleText() {
    }

    /** A received line as text; null if it is not valid UTF-8. */
    static String decode(byte[] line) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Lines to send, each ending in {@code \r\n} (what telnet expects; nc and scripts take it too). */
    static byte[] encode(List<String> lines) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encode(String line) {
        return encode(List.of(line));
    }

    /** The console's form of an {@code error} frame: {@code ERROR code message}. */
    static String error(ServerFrame.Error error) {
        String line = "ERROR " + error.code() + " " + safe(error.message());
        return error.retryAfterMs() == null ? line : line + " (retry in " + error.retryAfterMs() + " ms)";
    }

    static String error(ErrorCode code, String message) {
        return error(new ServerFrame.Error(null, code.wire(), message));
    }

    /**
     * Text from other users, made safe for a terminal: control characters (escape sequences that could
     * move the cursor, clear the screen or retitle the window) become U+FFFD, tabs a space. Line breaks
     * are handled by the caller.
     */
    static String safe(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(c == '\t' ? ' ' : control ? REPLACEMENT : c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** A text's lines: a message written on several lines is shown as several, each with its prefix. */
    static List<String> lines(String text) {
        return text.lines().map(ConsoleText::safe).toList();
    }
}

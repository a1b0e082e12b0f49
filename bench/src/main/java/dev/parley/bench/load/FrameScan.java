package dev.parley.bench.load;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Reads the few fields the load generator needs straight from a frame's bytes, without a JSON parse:
 * at tens of thousands of frames per second on one core, parsing would make the generator the bottleneck.
 * The baseline server uses the same scanner for its routing.
 */
public final class FrameScan {

    private static final byte[] TYPE = key("type");
    private static final byte[] TEXT = key("text");
    private static final byte[] ID = key("id");
    private static final byte[] ROOM = key("room");
    private static final byte[] CODE = key("code");

    private FrameScan() {
    }

    private static byte[] key(String name) {
        return ('"' + name + "\":\"").getBytes(StandardCharsets.US_ASCII);
    }

    /** The value of {@code "type"}, or {@code ""}. */
    public static String type(ByteBuf frame) {
        return string(frame, TYPE);
    }

    public static String room(ByteBuf frame) {
        return string(frame, ROOM);
    }

    public static String code(ByteBuf frame) {
        return string(frame, CODE);
    }

    /** Whether {@code "type"} is exactly {@code expected}, without allocating. */
    public static boolean typeIs(ByteBuf frame, byte[] expected) {
        int start = valueStart(frame, TYPE);
        if (start < 0 || start + expected.length >= frame.writerIndex()) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (frame.getByte(start + i) != expected[i]) {
                return false;
            }
        }
        return frame.getByte(start + expected.length) == '"';
    }

    /** The decimal number a string field starts with ({@code "text":"123 ..."}), or -1. */
    public static long leadingNumber(ByteBuf frame, byte[] key) {
        int start = valueStart(frame, key);
        if (start < 0) {
            return -1;
        }
        long value = 0;
        int digits = 0;
        for (int i = start; i < frame.writerIndex(); i++) {
            byte b = frame.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            digits++;
        }
        return digits == 0 ? -1 : value;
    }

    public static long textNumber(ByteBuf frame) {
        return leadingNumber(frame, TEXT);
    }

    public static long idNumber(ByteBuf frame) {
        return leadingNumber(frame, ID);
    }

    /** The raw (still escaped) value of a string field, or {@code ""}. */
    public static String string(ByteBuf frame, byte[] key) {
        int start = valueStart(frame, key);
        if (start < 0) {
            return "";
        }
        int end = start;
        while (end < frame.writerIndex()) {
            byte b = frame.getByte(end);
            if (b == '"') {
                break;
            }
            end += b == '\\' ? 2 : 1;
        }
        return frame.toString(start, Math.min(end, frame.writerIndex()) - start, StandardCharsets.UTF_8);
    }

    /** Index of the first byte of {@code key}'s value, or -1. */
    static int valueStart(ByteBuf frame, byte[] key) {
        int last = frame.writerIndex() - key.length;
        outer:
        for (int i = frame.readerIndex(); i <= last; i++) {
            for (int j = 0; j < key.length; j++) {
                if (frame.getByte(i + j) != key[j]) {
                    continue outer;
                }
            }
            return i + key.length;
        }
        return -1;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] keyOf(String name) {
        return key(name);
    }
}

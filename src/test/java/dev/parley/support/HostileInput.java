package dev.parley.support;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Hostile client input for fuzz tests, as jqwik arbitraries: valid frames of every client type,
 * the same frames mutated (fields dropped, doubled, renamed or given values of the wrong type,
 * huge, negative, deeply nested, very long or odd Unicode; then characters dropped, doubled or
 * replaced), and plain random text. Properties use them directly; full-stack tests, which cannot
 * be jqwik properties, {@link #draw} from them with a fixed seed.
 */
public final class HostileInput {
    /** Every client frame type of the contract. */
    public static final List<String> CLIENT_TYPES = List.of("send", "history", "resume", "read", "typing", "ping",
            "presence_sub", "create", "rooms", "join", "leave", "invite", "dm");

    /** Characters that break JSON, names or text handling: delimiters, controls, NUL, lone surrogates, BOM, RTL. */
    private static final String NASTY = "{}[]\":,\\ \t\n\r\u0000\u0001\u001f\u007f\u00a0\u200b\u202e\ud800\udbff\udc00"
            + "\ufeff\uffff\u00e9\u20ac@+.-_/%&=?#'<>";
    /** Pieces of JSON to glue into almost-frames. */
    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ":", ",", "\"", " ", "\"type\"", "\"send\"",
            "\"ping\"", "\"room\"", "\"general\"", "\"text\"", "\"id\"", "\"after\"", "\"users\"", "null", "true", "0",
            "-1", "1e999", "\"\\u0000\"", "\"\\ud800\"", "\\", "\"\\", "/*", "//", "NaN");

    private HostileInput() {
    }

    /**
     * The names frames are built from.
     *
     * @param rooms rooms that frames read, write, join or leave
     * @param newRooms names for {@code create}
     * @param users names for {@code invite}, {@code dm} and {@code presence_sub}
     */
    public record Vocabulary(List<String> rooms, List<String> newRooms, List<String> users) {
    }

    /** One field of a frame as written on the wire: its key and its value as raw JSON text. */
    private record Field(String key, String json) {
    }

    /**
     * Draws {@code count} values with a fixed seed, outside any property: the same seed gives the same values,
     * so a failure replays. Edge cases (empty, extremes) are mixed in as jqwik does in a property.
     */
    public static <T> List<T> draw(Arbitrary<T> arbitrary, int count, long seed) {
        // jqwik keeps generators in stores that exist only inside a property or a session
        JqwikSession.start();
        try {
            RandomGenerator<T> generator = arbitrary.generator(1000, true);
            Random random = new Random(seed);
            return Stream.generate(() -> generator.next(random).value()).limit(count).toList();
        } finally {
            JqwikSession.finish();
        }
    }

    // --- frames ---

    /** Valid frames of these types (every client type when none is named). */
    public static Arbitrary<String> validFrames(Vocabulary words, String... types) {
        return validFields(words, types).map(HostileInput::render);
    }

    /** Valid frames of these types (every client type when none is named), mutated once or a few times. */
    public static Arbitrary<String> mutatedFrames(Vocabulary words, String... types) {
        Arbitrary<List<UnaryOperator<List<Field>>>> structural = fieldMutations().list().ofMaxSize(3);
        Arbitrary<List<UnaryOperator<String>>> textual = textMutations().list().ofMaxSize(3);
        return Combinators.combine(validFields(words, types), structural, textual).as((fields, onFields, onText) -> {
            List<Field> mutated = new ArrayList<>(fields);
            // never the valid frame itself: with no mutation drawn, the frame loses a field
            if (onFields.isEmpty() && onText.isEmpty()) {
                mutated.remove(mutated.size() - 1);
            }
            for (UnaryOperator<List<Field>> mutation : onFields) {
                mutated = mutation.apply(mutated);
            }
            String text = render(mutated);
            for (UnaryOperator<String> mutation : onText) {
                text = mutation.apply(text);
            }
            return text;
        });
    }

    /** Any text at all: random UTF-16 (lone surrogates and NUL included), nasty characters, JSON bits and values. */
    public static Arbitrary<String> randomText() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(100)),
                Tuple.of(2, Arbitraries.strings().withChars(NASTY + "0123456789eEtrufalsn").ofMaxLength(60)),
                Tuple.of(3, Arbitraries.of(TOKENS).list().ofMaxSize(30).map(tokens -> String.join("", tokens))),
                Tuple.of(2, jsonValues()),
                Tuple.of(1, deepNesting()));
    }

    /** Names a client could put where a room or user name goes: valid ones, near misses and junk. */
    public static Arbitrary<String> names(List<String> valid) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(valid)),
                Tuple.of(3, Arbitraries.strings().alpha().numeric().withChars("_-.@+").ofMinLength(1).ofMaxLength(70)),
                Tuple.of(2, strings()),
                Tuple.of(1, Arbitraries.of("", " ", ".", "..", "@", "+", "@a", "@+", "@a+", "a+b", "@A+B", "general ",
                        "GENERAL", "%2F", "a/b", "a?b", "a#b", "a;b", "\u0000", "\ud800", "\u00e9t\u00e9")));
    }

    // --- values ---

    /** A JSON value as raw text, quite possibly wrong for the field it lands in (and sometimes not JSON at all). */
    public static Arbitrary<String> jsonValues() {
        Arbitrary<String> flat = flatValues();
        return Arbitraries.frequencyOf(
                Tuple.of(6, flat),
                Tuple.of(2, flat.list().ofMaxSize(5).map(values -> "[" + String.join(",", values) + "]")),
                Tuple.of(2, Combinators.combine(strings(), flat).as((key, value) -> quote(key) + ":" + value)
                        .list().ofMaxSize(4).map(entries -> "{" + String.join(",", entries) + "}")),
                Tuple.of(1, deepNesting()));
    }

    private static Arbitrary<String> flatValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, numbers()),
                Tuple.of(4, strings().map(HostileInput::quote)),
                Tuple.of(2, strings().map(HostileInput::escaped)),
                Tuple.of(1, Arbitraries.of("true", "false", "null", "[]", "{}", "\"\"", "[null]", "{\"\":null}")));
    }

    /** Numbers at and past every edge: int and long bounds, -0, exponents, floats, too many digits, non-JSON ones. */
    public static Arbitrary<String> numbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(3, Arbitraries.of("0", "-0", "-1", "1", "49", "50", "200", "201", "500", "501", "4000",
                        "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
                        "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1.0", "1.5", "-0.0",
                        "1e2", "1E+2", "1e400", "-1e400", "1e-400", "0.1e1", "01", "+1", "0x10", ".5", "5.", "NaN",
                        "Infinity", "-Infinity")),
                Tuple.of(1, Arbitraries.integers().between(20, 1500).map(digits -> "9".repeat(digits))));
    }

    /** Strings a careless or malicious client sends: any characters, nasty ones, near-limit and over-limit lengths. */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(3, Arbitraries.strings().withChars(NASTY).ofMaxLength(20)),
                Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars(" _-.").ofMaxLength(70)),
                Tuple.of(2, Arbitraries.of("", " ", "\t\n", "general", "@alice+bob", "public", "private", "PUBLIC",
                        "send", "ping", "\u0000", "\ud800", "\udc00x", "\ud83d\ude00", "\u202egnp.exe")),
                Tuple.of(1, Combinators.combine(
                                Arbitraries.of("x", "\u00e9", "\ud83d\ude00", " ", "\u0000", "\ud800"),
                                Arbitraries.of(31, 32, 33, 63, 64, 65, 3999, 4000, 4001, 8000))
                        .as(String::repeat)));
    }

    /** Arrays or objects nested far past any sensible depth (and past Jackson's nesting limit). */
    private static Arbitrary<String> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(1, 3000), Arbitraries.of(true, false))
                .as((depth, arrays) -> arrays ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    }

    // --- valid frames, field by field ---

    private static Arbitrary<List<Field>> validFields(Vocabulary words, String... types) {
        List<String> chosen = types.length == 0 ? CLIENT_TYPES : List.of(types);
        return Arbitraries.oneOf(chosen.stream().map(type -> valid(type, words)).toList());
    }

    private static Arbitrary<List<Field>> valid(String type, Vocabulary words) {
        Arbitrary<String> room = Arbitraries.of(words.rooms()).map(HostileInput::quote);
        Arbitrary<String> anyRoom = Arbitraries.of(Stream.concat(words.rooms().stream(), words.newRooms().stream())
                .toList()).map(HostileInput::quote);
        Arbitrary<String> user = Arbitraries.of(words.users()).map(HostileInput::quote);
        Arbitrary<String> seq = Arbitraries.longs().between(0, 2000).map(String::valueOf);
        return switch (type) {
            case "send" -> frame(type, field("room", room), field("text", text()));
            case "history" -> frame(type, field("room", room), optional("before", seq),
                    optional("limit", Arbitraries.integers().between(1, 200).map(String::valueOf)));
            case "resume" -> frame(type, field("after", Arbitraries.maps(Arbitraries.of(words.rooms()), seq)
                    .ofMinSize(1).ofMaxSize(3).map(HostileInput::object)));
            case "read" -> frame(type, field("room", room), field("seq", seq));
            case "typing", "join", "leave" -> frame(type, field("room", "typing".equals(type) ? room : anyRoom));
            case "ping", "rooms" -> frame(type);
            case "presence_sub" -> frame(type, field("users", Arbitraries.of(words.users()).list().ofMaxSize(5)
                    .map(names -> names.stream().map(HostileInput::quote).collect(Collectors.joining(",", "[", "]")))));
            case "create" -> frame(type, field("room", Arbitraries.of(words.newRooms()).map(HostileInput::quote)),
                    optional("visibility", Arbitraries.of("\"public\"", "\"private\"")));
            case "invite" -> frame(type, field("room", anyRoom), field("user", user));
            case "dm" -> frame(type, field("to", user), field("text", text()));
            default -> throw new IllegalArgumentException("not a client frame type: " + type);
        };
    }

    /** A frame of the type with these fields, and an id most of the time. */
    @SafeVarargs
    private static Arbitrary<List<Field>> frame(String type, Arbitrary<Field>... fields) {
        List<Arbitrary<Field>> all = new ArrayList<>(List.of(fields));
        all.add(optional("id", Arbitraries.strings().alpha().numeric().withChars("-_").ofMaxLength(64)
                .map(HostileInput::quote)));
        return Combinators.combine(all).as(values -> {
            List<Field> frame = new ArrayList<>();
            frame.add(new Field("type", quote(type)));
            values.stream().filter(Objects::nonNull).forEach(frame::add);
            return frame;
        });
    }

    private static Arbitrary<Field> field(String key, Arbitrary<String> json) {
        return json.map(value -> new Field(key, value));
    }

    private static Arbitrary<Field> optional(String key, Arbitrary<String> json) {
        return field(key, json).injectNull(0.3);
    }

    /** Message text within the limits: short text mostly, exactly 4000 code points sometimes. */
    private static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.strings().withCharRange('a', 'z').withChars(" \u00e9\u20ac")
                        .ofMinLength(1).ofMaxLength(40).filter(s -> !s.isBlank())),
                Tuple.of(1, Arbitraries.of("\u00e9".repeat(4000), "\ud83d\ude00".repeat(4000))))
                .map(HostileInput::quote);
    }

    // --- mutations ---

    /** Changes to a frame's fields: a wrong value, a field gone, doubled, renamed or added, another type. */
    private static Arbitrary<UnaryOperator<List<Field>>> fieldMutations() {
        Arbitrary<Integer> index = Arbitraries.integers().greaterOrEqual(0);
        Arbitrary<String> value = jsonValues();
        return Arbitraries.oneOf(
                Combinators.combine(index, value).as((i, json) -> fields -> withField(fields, i,
                        field -> new Field(field.key(), json))),
                index.map(i -> fields -> {
                    List<Field> fewer = new ArrayList<>(fields);
                    if (!fewer.isEmpty()) {
                        fewer.remove(i % fewer.size());
                    }
                    return fewer;
                }),
                Combinators.combine(index, value).as((i, json) -> fields -> {
                    List<Field> more = new ArrayList<>(fields);
                    if (!more.isEmpty()) {
                        // a duplicate key: the parser keeps one of the two
                        more.add(new Field(more.get(i % more.size()).key(), json));
                    }
                    return more;
                }),
                Combinators.combine(strings(), value).as((key, json) -> fields -> {
                    List<Field> more = new ArrayList<>(fields);
                    more.add(new Field(key, json));
                    return more;
                }),
                Combinators.combine(index, strings()).as((i, key) -> fields -> withField(fields, i,
                        field -> new Field(key, field.json()))),
                Arbitraries.oneOf(Arbitraries.of(CLIENT_TYPES), strings()).map(type -> fields -> {
                    List<Field> retyped = new ArrayList<>(fields);
                    retyped.replaceAll(field -> "type".equals(field.key()) ? new Field("type", quote(type)) : field);
                    return retyped;
                }));
    }

    /** Changes to a frame's text: characters dropped, doubled, replaced or inserted; cut short; wrapped. */
    private static Arbitrary<UnaryOperator<String>> textMutations() {
        Arbitrary<Integer> at = Arbitraries.integers().greaterOrEqual(0);
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 12);
        Arbitrary<String> snippet = Arbitraries.oneOf(Arbitraries.of(TOKENS), Arbitraries.strings().withChars(NASTY)
                .ofMinLength(1).ofMaxLength(3), jsonValues());
        return Arbitraries.oneOf(
                Combinators.combine(at, length).as((i, n) -> text -> {
                    int from = i % (text.length() + 1);
                    return text.substring(0, from) + text.substring(Math.min(text.length(), from + n));
                }),
                Combinators.combine(at, length).as((i, n) -> text -> {
                    int from = i % (text.length() + 1);
                    int to = Math.min(text.length(), from + n);
                    return text.substring(0, to) + text.substring(from, to) + text.substring(to);
                }),
                Combinators.combine(at, Arbitraries.chars().all()).as((i, c) -> text -> {
                    if (text.isEmpty()) {
                        return String.valueOf(c);
                    }
                    int where = i % text.length();
                    return text.substring(0, where) + c + text.substring(where + 1);
                }),
                Combinators.combine(at, snippet).as((i, inserted) -> text -> {
                    int where = i % (text.length() + 1);
                    return text.substring(0, where) + inserted + text.substring(where);
                }),
                at.map(i -> text -> text.substring(0, i % (text.length() + 1))),
                Arbitraries.of("[%s]", "{\"frame\":%s}", "%s%s", "%s,", " %s ", "\ufeff%s", "%s\u0000")
                        .map(wrapper -> text -> wrapper.replace("%s", text)));
    }

    private static List<Field> withField(List<Field> fields, int index, UnaryOperator<Field> change) {
        List<Field> changed = new ArrayList<>(fields);
        if (!changed.isEmpty()) {
            int i = index % changed.size();
            changed.set(i, change.apply(changed.get(i)));
        }
        return changed;
    }

    // --- writing JSON by hand, so that anything can be written (duplicate keys, non-JSON numbers) ---

    private static String render(List<Field> fields) {
        return fields.stream().map(field -> quote(field.key()) + ":" + field.json())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String object(Map<String, String> rawValues) {
        return rawValues.entrySet().stream().map(entry -> quote(entry.getKey()) + ":" + entry.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** A JSON string literal; characters other than quotes, backslashes and controls are written as they are. */
    public static String quote(String value) {
        StringBuilder json = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    /**
     * A JSON string literal with everything outside printable ASCII escaped: a lone surrogate reaches the
     * server's parser this way, where as a raw character it would not survive UTF-8 on the wire.
     */
    public static String escaped(String value) {
        StringBuilder json = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}

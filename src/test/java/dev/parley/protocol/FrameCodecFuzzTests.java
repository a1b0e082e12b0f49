package dev.parley.protocol;

import dev.parley.support.HostileInput;
import dev.parley.support.HostileInput.Vocabulary;
import dev.parley.support.TestProperties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random and mutated frames against the codec. Each one is either decoded into a frame
 * that keeps every limit of the contract, or refused with {@code bad_request} or {@code too_large}:
 * nothing else may escape, since anything else would reach a connection as a failure instead of an
 * error frame.
 */
class FrameCodecFuzzTests {
    private static final ProtocolLimits LIMITS = TestProperties.defaults().protocolLimits();
    private static final Vocabulary WORDS = new Vocabulary(
            List.of("general", "dev", "Dev.ops-1", "@alice+bob", "@alice+bob+carol", "r".repeat(64)),
            List.of("fresh", "new.room", "n".repeat(64)),
            List.of("alice", "bob", "Carol_1", "u".repeat(32)));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FrameCodec codec = new FrameCodec(LIMITS);

    @Property(tries = 300)
    void validFramesOfEveryTypeDecode(@ForAll("validFrames") String frame) {
        // the mutations below start from these, so they must really be valid, and of every type
        ClientFrame decoded = codec.decode(frame);
        assertKeepsTheContract(decoded);
        Statistics.collect(typeOf(decoded));
        Statistics.coverage(coverage -> HostileInput.CLIENT_TYPES
                .forEach(type -> coverage.check(type).count(n -> n > 0)));
    }

    @Property(tries = 1000)
    void randomTextIsDecodedOrRefusedAndNothingElse(@ForAll("randomText") String text) {
        decodesOrRefuses(() -> codec.decode(text));
    }

    @Property(tries = 1500)
    void mutatedFramesAreDecodedWithinTheLimitsOrRefused(@ForAll("mutatedFrames") String frame) {
        ClientFrame decoded = decodesOrRefuses(() -> codec.decode(frame));
        // both ways out must be taken often, or the mutations are too timid or too wild to find anything
        Statistics.collect(decoded == null ? "refused" : "decoded");
        Statistics.coverage(coverage -> {
            coverage.check("decoded").percentage(p -> p >= 5);
            coverage.check("refused").percentage(p -> p >= 30);
        });
    }

    @Property(tries = 700)
    void restBodiesAreDecodedWithinTheLimitsOrRefused(@ForAll("restTypes") String type,
                                                      @ForAll("restBodies") String body,
                                                      @ForAll("pathRooms") String room) {
        ClientFrame frame = decodesOrRefuses(() -> codec.decode(type, body, room));
        Statistics.collect(frame == null ? "refused" : "decoded");
        if (frame != null) {
            // the type comes from the endpoint and the room from the path, whatever the body says
            assertThat(typeOf(frame)).isEqualTo(type);
            if (room != null && roomOf(frame) != null) {
                assertThat(roomOf(frame)).isEqualTo(room);
            }
        }
    }

    @Provide
    Arbitrary<String> validFrames() {
        return HostileInput.validFrames(WORDS);
    }

    @Provide
    Arbitrary<String> randomText() {
        return HostileInput.randomText();
    }

    @Provide
    Arbitrary<String> mutatedFrames() {
        return HostileInput.mutatedFrames(WORDS);
    }

    @Provide
    Arbitrary<String> restTypes() {
        return Arbitraries.oneOf(Arbitraries.of(HostileInput.CLIENT_TYPES), HostileInput.strings());
    }

    @Provide
    Arbitrary<String> restBodies() {
        return Arbitraries.oneOf(HostileInput.mutatedFrames(WORDS), HostileInput.validFrames(WORDS),
                HostileInput.randomText(), Arbitraries.of("", " ", "\n", "{}", "null", "[]")).injectNull(0.05);
    }

    @Provide
    Arbitrary<String> pathRooms() {
        return HostileInput.names(WORDS.rooms()).injectNull(0.2);
    }

    /** The decoded frame, or null when the codec refused it as the contract says; anything else fails. */
    private ClientFrame decodesOrRefuses(Supplier<ClientFrame> decode) {
        ClientFrame frame;
        try {
            frame = decode.get();
        } catch (InvalidFrameException refused) {
            assertThat(refused.code()).isIn(ErrorCode.BAD_REQUEST, ErrorCode.TOO_LARGE);
            assertThat(refused.getMessage()).isNotBlank();
            if (refused.id() != null) {
                assertThat(refused.id().length()).isLessThanOrEqualTo(LIMITS.idMax());
            }
            return null;
        }
        assertKeepsTheContract(frame);
        return frame;
    }

    /** What every decoded frame promises (see {@link ClientFrame}): the contract's names and limits. */
    private void assertKeepsTheContract(ClientFrame frame) {
        assertThat(frame).isNotNull();
        if (frame.id() != null) {
            assertThat(frame.id().length()).isLessThanOrEqualTo(LIMITS.idMax());
        }
        if (roomOf(frame) != null) {
            assertThat(Names.isValidRoom(roomOf(frame))).as("room %s", roomOf(frame)).isTrue();
        }
        if (frame instanceof ClientFrame.Send send) {
            assertValidText(send.text());
        } else if (frame instanceof ClientFrame.Dm dm) {
            assertThat(Names.isValidUser(dm.to())).isTrue();
            assertValidText(dm.text());
        } else if (frame instanceof ClientFrame.History history) {
            assertThat(history.limit()).isBetween(1, LIMITS.historyMax());
            if (history.before() != null) {
                assertThat(history.before()).isNotNegative();
            }
        } else if (frame instanceof ClientFrame.Resume resume) {
            assertThat(resume.after()).isNotEmpty();
            resume.after().forEach((room, seq) -> {
                assertThat(Names.isValidRoom(room)).as("room %s", room).isTrue();
                assertThat(seq).isNotNegative();
            });
        } else if (frame instanceof ClientFrame.Read read) {
            assertThat(read.seq()).isNotNegative();
        } else if (frame instanceof ClientFrame.PresenceSub sub) {
            assertThat(sub.users()).hasSizeLessThanOrEqualTo(LIMITS.presenceSubMax())
                    .allMatch(Names::isValidUser);
        } else if (frame instanceof ClientFrame.Create create) {
            assertThat(Names.isValidNewRoom(create.room())).isTrue();
            assertThat(create.visibility()).isNotNull();
        } else if (frame instanceof ClientFrame.Invite invite) {
            assertThat(Names.isValidUser(invite.user())).isTrue();
        }
    }

    /** Accepted text is trimmed, not blank, within the limit, and survives being sent on as a message. */
    private void assertValidText(String text) {
        assertThat(text).isNotBlank().isEqualTo(text.strip());
        assertThat(text.codePointCount(0, text.length())).isLessThanOrEqualTo(LIMITS.textMax());
        byte[] echoed = codec.encode(new ServerFrame.Message("general", 1, "alice", text, "2026-01-01T00:00:00.000Z"));
        assertThat(JSON.readTree(echoed).get("text").asString()).isEqualTo(text);
    }

    private static String roomOf(ClientFrame frame) {
        if (frame instanceof ClientFrame.Send send) {
            return send.room();
        } else if (frame instanceof ClientFrame.History history) {
            return history.room();
        } else if (frame instanceof ClientFrame.Read read) {
            return read.room();
        } else if (frame instanceof ClientFrame.Typing typing) {
            return typing.room();
        } else if (frame instanceof ClientFrame.Create create) {
            return create.room();
        } else if (frame instanceof ClientFrame.Join join) {
            return join.room();
        } else if (frame instanceof ClientFrame.Leave leave) {
            return leave.room();
        } else if (frame instanceof ClientFrame.Invite invite) {
            return invite.room();
        }
        return null;
    }

    private static String typeOf(ClientFrame frame) {
        if (frame instanceof ClientFrame.Send) {
            return FrameTypes.SEND;
        } else if (frame instanceof ClientFrame.History) {
            return FrameTypes.HISTORY;
        } else if (frame instanceof ClientFrame.Resume) {
            return FrameTypes.RESUME;
        } else if (frame instanceof ClientFrame.Read) {
            return FrameTypes.READ;
        } else if (frame instanceof ClientFrame.Typing) {
            return FrameTypes.TYPING;
        } else if (frame instanceof ClientFrame.Ping) {
            return FrameTypes.PING;
        } else if (frame instanceof ClientFrame.PresenceSub) {
            return FrameTypes.PRESENCE_SUB;
        } else if (frame instanceof ClientFrame.Create) {
            return FrameTypes.CREATE;
        } else if (frame instanceof ClientFrame.Rooms) {
            return FrameTypes.ROOMS;
        } else if (frame instanceof ClientFrame.Join) {
            return FrameTypes.JOIN;
        } else if (frame instanceof ClientFrame.Leave) {
            return FrameTypes.LEAVE;
        } else if (frame instanceof ClientFrame.Invite) {
            return FrameTypes.INVITE;
        }
        return FrameTypes.DM;
    }
}

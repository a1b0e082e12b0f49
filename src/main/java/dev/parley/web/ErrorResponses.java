package dev.parley.web;

import dev.parley.protocol.ChatException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes a {@link ChatException} as the contract's HTTP error: its status and a {@code {"code","message"}} body. */
public final class ErrorResponses {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    static {
        // Jackson builds a serializer under a lock on first use: do it here, not on an event loop
        MAPPER.writeValueAsBytes(new ErrorBody("code", "message"));
    }

    private ErrorResponses() {
    }

    public static Mono<Void> write(ServerHttpResponse response, ChatException error) {
        response.setStatusCode(HttpStatus.valueOf(error.code().httpStatus()));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        RetryAfter.header(error).ifPresent(seconds -> response.getHeaders().set(HttpHeaders.RETRY_AFTER, seconds));
        byte[] body = MAPPER.writeValueAsBytes(new ErrorBody(error.code().wire(), error.getMessage()));
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }
}

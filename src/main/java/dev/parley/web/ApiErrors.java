package dev.parley.web;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;

/**
 * REST failures as the contract's error bodies: {@code {"code","message"}} with the code's HTTP status.
 * Whatever a controller lets escape is one of these, never Spring's default body or a trace.
 */
@RestControllerAdvice
class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ChatException.class)
    ResponseEntity<ErrorBody> refused(ChatException e) {
        return body(HttpStatusCode.valueOf(e.code().httpStatus()), e);
    }

    /** What Spring refused (a body it could not read, a wrong media type): the client's mistake, its status kept. */
    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ErrorBody> rejected(ResponseStatusException e) {
        HttpStatusCode status = e.getStatusCode();
        ErrorCode code = switch (status.value()) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 413 -> ErrorCode.TOO_LARGE;
            case 429 -> ErrorCode.RATE_LIMITED;
            default -> status.is5xxServerError() ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
        };
        return body(status, new ChatException(code, e.getReason() != null ? e.getReason() : "the request could not be handled"));
    }

    /**
     * The firewall refused a parameter name only once a controller read the parameters (it checks
     * lazily): the client's mistake all the same.
     */
    @ExceptionHandler(ServerExchangeRejectedException.class)
    ResponseEntity<ErrorBody> rejected(ServerExchangeRejectedException e) {
        return body(HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, "the request was rejected: " + e.getMessage());
    }

    /** A failure nobody foresaw: logged here, and only a plain {@code internal} for the client. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> failed(Exception e) {
        log.error("REST request failed", e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL, "the server could not handle this request");
    }

    private static ResponseEntity<ErrorBody> body(HttpStatusCode status, ErrorCode code, String message) {
        return body(status, new ChatException(code, message));
    }

    /** The body, and for {@code rate_limited} the {@code Retry-After} header. */
    private static ResponseEntity<ErrorBody> body(HttpStatusCode status, ChatException refusal) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        RetryAfter.header(refusal).ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
        return response.body(new ErrorBody(refusal.code().wire(), refusal.getMessage()));
    }
}

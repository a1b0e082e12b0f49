package dev.parley.web;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/** REST failures as the contract's error bodies: {@code {"code","message"}} with the code's HTTP status. */
@RestControllerAdvice
class ApiErrors {

    @ExceptionHandler(ChatException.class)
    ResponseEntity<ErrorBody> refused(ChatException e) {
        return ResponseEntity.status(e.code().httpStatus()).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorBody(e.code().wire(), e.getMessage()));
    }

    /** A body or parameter Spring could not read: the client's mistake, said the contract's way. */
    @ExceptionHandler({ServerWebInputException.class, UnsupportedMediaTypeStatusException.class})
    ResponseEntity<ErrorBody> unreadable(Exception e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorBody(ErrorCode.BAD_REQUEST.wire(), "the request could not be read"));
    }
}

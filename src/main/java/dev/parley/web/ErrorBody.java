package dev.parley.web;

/** The contract's HTTP error body. */
public record ErrorBody(String code, String message) {
}

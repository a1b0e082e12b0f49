/**
 * The Spring Security filter chain: who a request is (a Parley token, the session cookie or a JWT),
 * CSRF protection for cookie-authenticated calls, security headers, and the contract's JSON errors.
 */
package dev.parley.security;

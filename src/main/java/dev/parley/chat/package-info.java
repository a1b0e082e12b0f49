/**
 * The chat rules, once, for every transport: connect with a welcome, send, history,
 * resume, read marks, typing and presence subscriptions.
 */
package dev.parley.chat;

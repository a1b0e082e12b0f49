/**
 * The chat rules, once, for every transport: connect with a welcome, send, history, resume, read marks,
 * typing, presence subscriptions, rooms and private conversations (also over REST).
 */
package dev.parley.chat;

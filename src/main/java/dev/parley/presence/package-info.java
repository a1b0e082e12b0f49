/** Who is online, per user (not per connection), and the presence events that tell others. */
package dev.parley.presence;

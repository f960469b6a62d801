package io.feishuipsync.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;

/**
 * Where a channel posts and what it signs with: the URL (a credential itself, so only its host is ever shown), the
 * optional signing secret, and the clock both the message time and the signature's timestamp come from.
 */
final class ChannelTarget {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChannelSettings channel;
  private final Clock clock;

  ChannelTarget(ChannelSettings channel, Clock clock) {
    this.channel = channel;
    this.clock = clock;
  }

  URI url() {
    return channel.url();
  }

  /** The host of the URL, the only part of it a log line may show. */
  String host() {
    return channel.url().getHost();
  }

  /** The secret to sign with, or null when requests go unsigned. */
  Secret secret() {
    return channel.secret();
  }

  Instant now() {
    return clock.instant();
  }

  /** Now in epoch seconds, as both signatures carry it; null when there is no secret and so nothing to sign. */
  String signingTimestamp() {
    return channel.secret() == null ? null : Long.toString(clock.instant().getEpochSecond());
  }

  /** An empty JSON body to fill. */
  static ObjectNode body() {
    return JSON.createObjectNode();
  }

  /** The JSON reader for answers. */
  static ObjectMapper json() {
    return JSON;
  }
}

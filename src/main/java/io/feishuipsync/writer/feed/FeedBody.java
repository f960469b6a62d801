package io.feishuipsync.writer.feed;

import io.feishuipsync.core.IpRange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One complete, immutable version of the feed: built whole before it is served, so a client gets one version or
 * another, never a mix.
 *
 * @param entries the addresses it lists
 * @param body one CIDR per line, UTF-8
 * @param etag strong entity tag, quoted: a hash of the body
 * @param lastModified when the served list last changed, whole seconds (HTTP dates have no fractions)
 */
record FeedBody(SortedSet<IpRange> entries, byte[] body, String etag, Instant lastModified) {

  static FeedBody of(SortedSet<IpRange> entries, Instant now) {
    StringBuilder sb = new StringBuilder();
    for (IpRange r : entries) {
      sb.append(r).append('\n');
    }
    byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
    return new FeedBody(Collections.unmodifiableSortedSet(new TreeSet<>(entries)), body, etag(body),
        now.truncatedTo(ChronoUnit.SECONDS));
  }

  /** The body as text, for tests and logs. */
  String bodyText() {
    return new String(body, StandardCharsets.US_ASCII);
  }

  private static String etag(byte[] body) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}

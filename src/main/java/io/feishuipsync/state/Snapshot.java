package io.feishuipsync.state;

import io.feishuipsync.core.IpRange;
import java.time.Instant;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The list the last successful sync applied to every writer.
 *
 * @param entries the allowlist
 * @param fetchedAt when it was fetched from the source
 * @param source where it came from
 */
public record Snapshot(SortedSet<IpRange> entries, Instant fetchedAt, String source) {

  public Snapshot {
    entries = Collections.unmodifiableSortedSet(new TreeSet<>(entries));
  }
}

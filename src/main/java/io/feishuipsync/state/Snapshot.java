package io.feishuipsync.state;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.LastGood;
import io.feishuipsync.core.PendingRemoval;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The list the last successful sync applied to every writer.
 *
 * @param entries the allowlist, the operator's own entries included
 * @param fetchedAt when it was fetched from the source
 * @param source where it came from
 * @param sources each source's last good list by label, in config order (empty in snapshots of older versions)
 * @param pending addresses still applied though missing from the fetched list, ordered by address
 */
public record Snapshot(SortedSet<IpRange> entries, Instant fetchedAt, String source, Map<String, LastGood> sources,
    List<PendingRemoval> pending) {

  public Snapshot {
    entries = Collections.unmodifiableSortedSet(new TreeSet<>(entries));
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    pending = pending.stream().sorted(Comparator.comparing(PendingRemoval::address)).toList();
  }

  /** A snapshot of one source's list with nothing pending, as older versions wrote it. */
  public Snapshot(SortedSet<IpRange> entries, Instant fetchedAt, String source) {
    this(entries, fetchedAt, source, Map.of(), List.of());
  }
}

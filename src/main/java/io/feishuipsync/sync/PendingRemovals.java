package io.feishuipsync.sync;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.core.RemovalSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which addresses missing from the fetched list go now and which stay pending; pure. An address comes back from
 * pending the moment a fetch holds it again.
 *
 * @param kept addresses still applied although no source lists them
 * @param removed addresses that go in this run
 * @param pending the bookkeeping to keep for the next run, ordered by address
 */
record PendingRemovals(SortedSet<IpRange> kept, SortedSet<IpRange> removed, List<PendingRemoval> pending) {

  PendingRemovals {
    kept = Collections.unmodifiableSortedSet(new TreeSet<>(kept));
    removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
    pending = List.copyOf(pending);
  }

  /**
   * Advances the bookkeeping. {@code applied} is what the last run applied of the sources (pending addresses
   * included), {@code listed} what the sources list now. {@code fetched} is false when no source answered: then
   * nothing is confirmed missing, and nothing pending goes unless {@code prune}. {@code prune} lets every missing
   * address go now.
   */
  static PendingRemovals advance(Set<IpRange> applied, Set<IpRange> listed, List<PendingRemoval> before,
      RemovalSettings settings, Instant now, boolean fetched, boolean prune) {
    Map<IpRange, PendingRemoval> known = before.stream()
        .collect(Collectors.toMap(PendingRemoval::address, Function.identity(), (x, y) -> x));
    SortedSet<IpRange> missing = new TreeSet<>(applied);
    missing.addAll(known.keySet());
    missing.removeAll(listed);
    SortedSet<IpRange> kept = new TreeSet<>();
    SortedSet<IpRange> removed = new TreeSet<>();
    List<PendingRemoval> pending = new ArrayList<>();
    for (IpRange a : missing) {
      PendingRemoval p = known.getOrDefault(a, new PendingRemoval(a, now, 0));
      if (fetched) {
        p = new PendingRemoval(a, p.missingSince(), p.misses() + 1, p.source());
      }
      if (prune || (fetched && p.removable(settings, now))) {
        removed.add(a);
      } else {
        kept.add(a);
        if (p.misses() > 0) {
          pending.add(p);
        }
      }
    }
    return new PendingRemovals(kept, removed, pending);
  }
}

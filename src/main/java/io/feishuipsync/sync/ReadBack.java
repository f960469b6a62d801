package io.feishuipsync.sync;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.LastGood;
import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.core.Writer;
import io.feishuipsync.state.Snapshot;
import io.feishuipsync.state.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run reads back from its store (the snapshot file, or the cluster database that anyone with its role may
 * write) is input like a fresh answer: every address a source put there passes the source's policy again, and no
 * time in it lies in the future (a pending removal dated 2099 would never go). The snapshot's whole list is not
 * taken as it stands: it is rebuilt from those parts and the operator's entries as configured now.
 */
final class ReadBack {

  private static final Logger log = LoggerFactory.getLogger(Syncer.class);

  /** Clocks of two hosts (or a restored backup's) may differ this much before a time counts as the future. */
  static final Duration SKEW = Duration.ofMinutes(5);

  private ReadBack() {
  }

  /**
   * Why {@code s}, read from {@code where}, cannot be used by a run of {@code feeds} into {@code writers}; empty when
   * it can, or when {@code feeds} has no policy to hold it to.
   */
  static Optional<String> problem(Snapshot s, Feeds feeds, List<Writer> writers, Instant now, String where) {
    if (feeds.policy() == null) {
      return Optional.empty();
    }
    Set<IpRange> own = new HashSet<>(feeds.alsoAllow());
    writers.stream().filter(OwnEntries.class::isInstance).forEach(w -> own.addAll(((OwnEntries) w).entries()));
    return problem(s, feeds.policy(), own, now, where);
  }

  /**
   * Why {@code s}, read from {@code where}, cannot be used, naming the part and the entry; empty when it can.
   *
   * @param own every own entry configured now (top level and every writer's)
   */
  static Optional<String> problem(Snapshot s, EntryPolicy policy, Set<IpRange> own, Instant now, String where) {
    String in = "the snapshot in " + where + " ";
    Instant latest = now.plus(SKEW);
    if (s.fetchedAt().isAfter(latest)) {
      return Optional.of(in + "is dated " + s.fetchedAt() + ", in the future");
    }
    for (Map.Entry<String, LastGood> e : s.sources().entrySet()) {
      String part = "source " + e.getKey() + "'s last good list";
      if (e.getValue().fetchedAt().isAfter(latest)) {
        return Optional.of(in + "dates " + part + " " + e.getValue().fetchedAt() + ", in the future");
      }
      for (IpRange r : e.getValue().entries()) {
        Optional<String> why = policy.refusal(r);
        if (why.isPresent()) {
          return Optional.of(in + "holds " + r + " in " + part + ", which " + why.get());
        }
      }
    }
    for (PendingRemoval p : s.pending()) {
      if (p.missingSince().isAfter(latest)) {
        return Optional.of(in + "holds the pending removal " + p.address() + " missing since " + p.missingSince()
            + ", in the future");
      }
      Optional<String> why = policy.refusal(p.address());
      if (why.isPresent()) {
        return Optional.of(in + "holds the pending removal " + p.address() + ", which " + why.get());
      }
    }
    if (s.sources().isEmpty()) {
      // A snapshot of an older version: its entries are the source's list (own entries came with sources).
      for (IpRange r : s.entries()) {
        Optional<String> why = own.contains(r) ? Optional.empty() : policy.refusal(r);
        if (why.isPresent()) {
          return Optional.of(in + "holds " + r + ", which " + why.get());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * What the last run applied, from {@code store} as a run takes it: rebuilt from the parts a run checks, and empty
   * when there is none or when it fails those checks (logged).
   */
  static SortedSet<IpRange> lastApplied(SyncState store, Feeds feeds, List<Writer> writers, Instant now) {
    Optional<Snapshot> s = store.loadSnapshot().snapshot();
    Optional<String> bad = s.flatMap(x -> problem(x, feeds, writers, now, store.where()));
    if (bad.isPresent()) {
      log.error("the snapshot is not enforced: {}", bad.get());
    }
    return s.isEmpty() || bad.isPresent() ? new TreeSet<>() : lastApplied(s.get(), feeds.alsoAllow());
  }

  /**
   * What the last run applied, rebuilt from the parts {@link #problem} checks: each source's last good list, the
   * pending removals and the operator's entries as configured now ({@code alsoAllow}); a snapshot of an older version
   * is its entries.
   */
  static SortedSet<IpRange> lastApplied(Snapshot s, SortedSet<IpRange> alsoAllow) {
    if (s.sources().isEmpty()) {
      return s.entries();
    }
    SortedSet<IpRange> all = new TreeSet<>(alsoAllow);
    s.sources().values().forEach(g -> all.addAll(g.entries()));
    s.pending().forEach(p -> all.add(p.address()));
    return AddressSets.withoutCovered(all);
  }
}

package io.feishuipsync.sync;

import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.LastGood;
import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.core.Writer;
import io.feishuipsync.state.Snapshot;
import io.feishuipsync.state.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
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
   * Why {@code s}, read from {@code where}, cannot be used by a run of {@code senders} into {@code writers}; empty when
   * it can, or when no sender has a policy to hold it to.
   */
  static Optional<String> problem(Snapshot s, Senders senders, List<Writer> writers, Instant now, String where) {
    if (senders.sources().stream().allMatch(x -> x.policy() == null)) {
      return Optional.empty();
    }
    Set<IpRange> own = new HashSet<>(senders.alsoAllow());
    writers.forEach(w -> own.addAll(OwnEntries.of(w)));
    String in = "the snapshot in " + where + " ";
    Instant latest = now.plus(SKEW);
    if (s.fetchedAt().isAfter(latest)) {
      return Optional.of(in + "is dated " + s.fetchedAt() + ", in the future");
    }
    for (Map.Entry<String, LastGood> e : s.sources().entrySet()) {
      Optional<Senders.Sender> sender = senders.named(e.getKey());
      if (sender.isEmpty()) {
        // A sender taken out of the config: its list is neither planned nor enforced (lists(), below).
        continue;
      }
      String part = "source " + e.getKey() + "'s last good list";
      if (e.getValue().fetchedAt().isAfter(latest)) {
        return Optional.of(in + "dates " + part + " " + e.getValue().fetchedAt() + ", in the future");
      }
      for (IpRange r : e.getValue().entries()) {
        Optional<String> why = refusal(sender.get().policy(), r);
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
      Optional<String> why = pendingRefusal(p, senders);
      if (why.isPresent()) {
        return Optional.of(in + "holds the pending removal " + p.address() + ", which " + why.get());
      }
    }
    if (s.sources().isEmpty()) {
      // A snapshot of an older version: its entries are the first sender's list (own entries came with it).
      EntryPolicy first = senders.sources().get(0).policy();
      for (IpRange r : s.entries()) {
        Optional<String> why = own.contains(r) ? Optional.empty() : refusal(first, r);
        if (why.isPresent()) {
          return Optional.of(in + "holds " + r + ", which " + why.get());
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> refusal(EntryPolicy policy, IpRange r) {
    return policy == null ? Optional.empty() : policy.refusal(r);
  }

  /**
   * Why a pending removal may not be held: it must pass the policy of a configured sender it was pending from, or,
   * when none of those is configured any more, of some configured sender.
   */
  private static Optional<String> pendingRefusal(PendingRemoval p, Senders senders) {
    List<Senders.Sender> from = p.source().isEmpty() ? List.of() : Arrays.stream(p.source().split(","))
        .map(senders::named).flatMap(Optional::stream).toList();
    Optional<String> first = Optional.empty();
    for (Senders.Sender x : from.isEmpty() ? senders.sources() : from) {
      Optional<String> why = refusal(x.policy(), p.address());
      if (why.isEmpty()) {
        return why;
      }
      first = first.isPresent() ? first : why;
    }
    return first;
  }

  /**
   * What the last run applied, from {@code store} as a run takes it: rebuilt from the parts a run checks, and empty
   * when there is none or when it fails those checks (logged).
   */
  static Allowlist lastApplied(SyncState store, Senders senders, List<Writer> writers, Instant now) {
    Optional<Snapshot> s = store.loadSnapshot().snapshot();
    Optional<String> bad = s.flatMap(x -> problem(x, senders, writers, now, store.where()));
    if (bad.isPresent()) {
      log.error("the snapshot is not enforced: {}", bad.get());
    }
    return s.isEmpty() || bad.isPresent() ? Allowlist.empty() : allowlist(s.get(), senders);
  }

  /**
   * What the last run applied, rebuilt from the parts {@link #problem} checks: the last good list of each sender
   * configured now, the pending removals and the operator's entries as configured now; a snapshot of an older
   * version is its entries, whole.
   */
  static Allowlist allowlist(Snapshot s, Senders senders) {
    if (s.sources().isEmpty()) {
      return Allowlist.whole(s.entries());
    }
    Map<String, SortedSet<IpRange>> lists = new LinkedHashMap<>();
    s.sources().forEach((label, g) -> {
      if (senders.named(label).isPresent()) {
        lists.put(label, g.entries());
      }
    });
    return new Allowlist(lists, s.pending(), senders.alsoAllow());
  }
}

package io.feishuipsync.sync;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.core.Writer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The list of a run in its parts, so that a writer routed to some senders ({@code writers[].senders}) gets their
 * addresses alone: each sender's list (fresh, or its last good one), the addresses whose removal is pending (each
 * with the senders it came from), and the operator's own entries, which every writer holds.
 *
 * @param bySender each configured sender's list, by name, in config order
 * @param pending the addresses no sender lists any more that stay for now
 * @param alsoAllow the operator's own entries for every writer
 */
public record Allowlist(Map<String, SortedSet<IpRange>> bySender, List<PendingRemoval> pending,
    SortedSet<IpRange> alsoAllow) {

  public Allowlist {
    Map<String, SortedSet<IpRange>> copy = new LinkedHashMap<>();
    bySender.forEach((k, v) -> copy.put(k, Collections.unmodifiableSortedSet(new TreeSet<>(v))));
    bySender = Collections.unmodifiableMap(copy);
    pending = List.copyOf(pending);
    alsoAllow = Collections.unmodifiableSortedSet(new TreeSet<>(alsoAllow));
  }

  /** A list known only whole (a snapshot of an older version): every writer gets all of it. */
  public static Allowlist whole(SortedSet<IpRange> entries) {
    return new Allowlist(Map.of(), List.of(), entries);
  }

  /** Nothing applied yet. */
  public static Allowlist empty() {
    return new Allowlist(Map.of(), List.of(), new TreeSet<>());
  }

  /** Everything: what a writer that takes every sender holds. */
  public SortedSet<IpRange> all() {
    SortedSet<IpRange> out = new TreeSet<>(alsoAllow);
    bySender.values().forEach(out::addAll);
    pending.forEach(p -> out.add(p.address()));
    return AddressSets.withoutCovered(out);
  }

  /** What a writer routed to {@code senders} holds; every sender when it is empty. */
  public SortedSet<IpRange> of(Set<String> senders) {
    if (senders.isEmpty()) {
      return all();
    }
    SortedSet<IpRange> out = new TreeSet<>(alsoAllow);
    bySender.forEach((name, list) -> {
      if (senders.contains(name)) {
        out.addAll(list);
      }
    });
    for (PendingRemoval p : pending) {
      // An address pending from no sender still configured is kept by the writers that take every sender only.
      if (Arrays.stream(p.source().split(",")).anyMatch(senders::contains)) {
        out.add(p.address());
      }
    }
    return AddressSets.withoutCovered(out);
  }

  /** What {@code w} holds of this list: its senders' part when it is routed, else all. */
  public SortedSet<IpRange> forWriter(Writer w) {
    return w instanceof Routed r ? of(r.senders()) : all();
  }

  /** True when nothing at all is listed. */
  public boolean isEmpty() {
    return all().isEmpty();
  }
}

package io.feishuipsync.sync;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.LastGood;
import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.core.Plan;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.core.SourceReport;
import io.feishuipsync.state.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The list a run applies, decided without side effects: the union of every source's fresh list (or, for a source
 * that failed, its last good list), the addresses whose removal is still pending, and the operator's own entries;
 * and whether the guards allow it. The guards judge the sources' lists only, each source on its own, and count
 * only the removals that happen in this run.
 */
final class ListMerge {

  /** One source's answer in this run: its list, or why it failed ({@code list} null). */
  record Answer(String label, SourceList list, String error) {}

  /**
   * What a run starts from.
   *
   * @param answers every configured source's answer, in config order
   * @param snapshot what the last successful run recorded
   * @param fallback when there is no snapshot, the largest list a writer holds
   * @param alsoAllow the operator's own entries for every writer
   */
  record Input(List<Answer> answers, Optional<Snapshot> snapshot, Optional<SortedSet<IpRange>> fallback,
      SortedSet<IpRange> alsoAllow, RemovalSettings removal, GuardSettings guard, boolean force, boolean prune,
      Instant now) {}

  /**
   * The decision.
   *
   * @param desired what every writer is to hold (before its own entries and its scope)
   * @param change from the last applied list to {@code desired}
   * @param refusal why the guards refuse it, or null
   * @param snapshot what to record once every writer holds {@code desired}
   * @param reports what each source contributed, the operator's entries last
   * @param origins the sources of each added and removed entry, for history
   * @param allowlist {@code desired} in its parts, for writers routed to some senders
   */
  record Result(SortedSet<IpRange> desired, ChangeSet change, String refusal, Snapshot snapshot,
      List<SourceReport> reports, Map<IpRange, List<String>> origins, Allowlist allowlist) {}

  private ListMerge() {
  }

  static Result plan(Input in) {
    Map<String, LastGood> before = previousLists(in);
    Map<String, LastGood> now = new LinkedHashMap<>();
    List<SourceReport> reports = new ArrayList<>();
    SortedSet<IpRange> listed = new TreeSet<>();
    boolean fetched = false;
    Instant fetchedAt = null;
    List<String> origins = new ArrayList<>();
    for (Answer a : in.answers()) {
      LastGood last = before.get(a.label());
      if (a.list() != null) {
        LastGood fresh = new LastGood(AddressSets.withoutCovered(a.list().entries()), a.list().fetchedAt(),
            a.list().source());
        now.put(a.label(), fresh);
        reports.add(new SourceReport(a.label(), SourceReport.State.FRESH, fresh.entries().size(),
            fresh.fetchedAt(), null));
        fetched = true;
        fetchedAt = fetchedAt == null || fresh.fetchedAt().isAfter(fetchedAt) ? fresh.fetchedAt() : fetchedAt;
        origins.add(fresh.origin());
      } else if (last != null) {
        now.put(a.label(), last);
        reports.add(new SourceReport(a.label(), SourceReport.State.STALE, last.entries().size(), last.fetchedAt(),
            a.error()));
      } else {
        reports.add(new SourceReport(a.label(), SourceReport.State.FAILED, 0, null, a.error()));
      }
    }
    now.values().forEach(g -> listed.addAll(g.entries()));

    List<PendingRemoval> pendingBefore = in.snapshot().map(Snapshot::pending).orElse(List.of());
    Optional<SortedSet<IpRange>> applied = appliedOfSources(in, before, pendingBefore);
    PendingRemovals p = PendingRemovals.advance(applied.orElse(new TreeSet<>()), listed, pendingBefore,
        in.removal(), in.now(), fetched, in.prune());
    Map<IpRange, String> wasFrom = new HashMap<>();
    pendingBefore.forEach(x -> wasFrom.put(x.address(), x.source()));
    List<PendingRemoval> pending = p.pending().stream().map(x -> new PendingRemoval(x.address(), x.missingSince(),
        x.misses(), source(x.address(), before, wasFrom))).toList();
    SortedSet<IpRange> sourcesPart = new TreeSet<>(listed);
    sourcesPart.addAll(p.kept());

    String refusal = refusal(in, before, now, applied, sourcesPart, p.removed());
    SortedSet<IpRange> all = new TreeSet<>(sourcesPart);
    all.addAll(in.alsoAllow());
    SortedSet<IpRange> desired = AddressSets.withoutCovered(all);
    if (!in.alsoAllow().isEmpty()) {
      reports.add(new SourceReport(SourceReport.CONFIG, SourceReport.State.CONFIG, in.alsoAllow().size(), null,
          null));
    }
    SortedSet<IpRange> previous = in.snapshot().map(Snapshot::entries)
        .orElseGet(() -> in.fallback().orElseGet(TreeSet::new));
    ChangeSet change = ChangeSet.between(previous, desired);
    Snapshot snapshot = fetchedAt == null
        ? new Snapshot(desired, in.snapshot().map(Snapshot::fetchedAt).orElse(in.now()),
            in.snapshot().map(Snapshot::source).orElse(""), now, pending)
        : new Snapshot(desired, fetchedAt, String.join(", ", origins), now, pending);
    Map<String, SortedSet<IpRange>> lists = new LinkedHashMap<>();
    now.forEach((label, g) -> lists.put(label, g.entries()));
    // A kept address not yet counted as pending (no source answered this run) is the senders' that last held it.
    List<PendingRemoval> kept = new ArrayList<>(pending);
    Set<IpRange> counted = new java.util.HashSet<>();
    pending.forEach(x -> counted.add(x.address()));
    p.kept().stream().filter(k -> !counted.contains(k))
        .forEach(k -> kept.add(new PendingRemoval(k, in.now(), 0, source(k, before, wasFrom))));
    return new Result(desired, change, refusal, snapshot, reports,
        origins(change, before, now, in.alsoAllow(), wasFrom), new Allowlist(lists, kept, in.alsoAllow()));
  }

  /**
   * Each source's last good list: from the snapshot, or in a snapshot of an older version (one source, no own
   * entries) its whole list as the first source's.
   */
  private static Map<String, LastGood> previousLists(Input in) {
    Map<String, LastGood> out = new LinkedHashMap<>();
    if (in.snapshot().isEmpty()) {
      return out;
    }
    Snapshot s = in.snapshot().get();
    if (s.sources().isEmpty()) {
      out.put(in.answers().get(0).label(), new LastGood(s.entries(), s.fetchedAt(), s.source()));
      return out;
    }
    // A source taken out of the config takes its list with it.
    in.answers().stream().filter(a -> s.sources().containsKey(a.label()))
        .forEach(a -> out.put(a.label(), s.sources().get(a.label())));
    return out;
  }

  /** What the last run applied of the sources, or empty when nothing is known (a first run). */
  private static Optional<SortedSet<IpRange>> appliedOfSources(Input in, Map<String, LastGood> before,
      List<PendingRemoval> pending) {
    if (in.snapshot().isEmpty()) {
      // What a writer holds beyond the operator's entries is what an earlier sync applied of the sources.
      return in.fallback().map(f -> {
        SortedSet<IpRange> s = new TreeSet<>(f);
        s.removeAll(in.alsoAllow());
        return s;
      });
    }
    SortedSet<IpRange> s = new TreeSet<>();
    before.values().forEach(g -> s.addAll(g.entries()));
    pending.forEach(p -> s.add(p.address()));
    return Optional.of(s);
  }

  private static String refusal(Input in, Map<String, LastGood> before, Map<String, LastGood> now,
      Optional<SortedSet<IpRange>> applied, SortedSet<IpRange> sourcesPart, Set<IpRange> removed) {
    boolean several = in.answers().size() > 1;
    for (Answer a : in.answers()) {
      if (a.list() != null) {
        // The entry guards (empty, min_entries) hold for each fresh list, pending addresses aside; force lifts
        // neither.
        String why = Plan.of(Optional.empty(), now.get(a.label()).entries(), in.guard(), true).refusal();
        if (why != null) {
          return several ? a.label() + ": " + why : why;
        }
      }
    }
    String why = Plan.of(applied, sourcesPart, in.guard(), in.force()).refusal();
    if (why != null || !several || in.force()) {
      return why;
    }
    for (Map.Entry<String, LastGood> e : before.entrySet()) {
      int size = e.getValue().entries().size();
      long gone = e.getValue().entries().stream().filter(removed::contains).count();
      if (size > 0 && (double) gone / size > in.guard().maxRemovalRatio()) {
        return String.format(Locale.ROOT, "%s: the change removes %d of its %d entries (%.0f%%), more than"
            + " guard.max_removal_ratio %.0f%%; rerun with --force if this is expected", e.getKey(), gone, size,
            100.0 * gone / size, in.guard().maxRemovalRatio() * 100);
      }
    }
    return null;
  }

  /** Where a pending address came from: the lists that last held it, or what its pending record said. */
  private static String source(IpRange r, Map<String, LastGood> before, Map<IpRange, String> wasFrom) {
    List<String> labels = labels(r, before);
    return labels.isEmpty() ? wasFrom.getOrDefault(r, "") : String.join(",", labels);
  }

  /** The labels of the lists in {@code lists} that hold {@code r}, in config order. */
  private static List<String> labels(IpRange r, Map<String, LastGood> lists) {
    return lists.entrySet().stream().filter(e -> e.getValue().entries().contains(r)).map(Map.Entry::getKey)
        .toList();
  }

  /**
   * The sources of each added entry (its lists now, {@code config}) and each removed one (its lists before, or for
   * a removal that waited out its grace the sources it was pending from; else {@code config}).
   */
  private static Map<IpRange, List<String>> origins(ChangeSet change, Map<String, LastGood> before,
      Map<String, LastGood> now, Set<IpRange> alsoAllow, Map<IpRange, String> wasFrom) {
    Map<IpRange, List<String>> out = new LinkedHashMap<>();
    for (IpRange r : change.added()) {
      List<String> labels = new ArrayList<>(labels(r, now));
      if (alsoAllow.contains(r)) {
        labels.add(SourceReport.CONFIG);
      }
      out.put(r, labels);
    }
    for (IpRange r : change.removed()) {
      List<String> labels = labels(r, before);
      String pending = wasFrom.getOrDefault(r, "");
      out.put(r, !labels.isEmpty() ? labels : !pending.isEmpty() ? List.of(pending.split(","))
          : List.of(SourceReport.CONFIG));
    }
    return out;
  }
}

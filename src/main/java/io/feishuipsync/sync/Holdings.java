package io.feishuipsync.sync;

import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Plan;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.core.WriterResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** What the writers held when a run read them (null for a writer that was not read), and what follows from it. */
final class Holdings {

  private Holdings() {
  }

  /**
   * What a run found.
   *
   * @param holdings each writer's, in order; null for a writer that cannot run or could not be read
   * @param cannotRun why, one message each
   * @param stop set when a real sync must apply nothing: the first writer that cannot run or could not be read
   */
  record Read(List<Holding> holdings, List<String> cannotRun, String stop) {}

  /**
   * Checks every writer, then reads each one that can run, adding a failed result to {@code results} for each that
   * cannot run or be read. A real sync checks every writer before touching any and stops there; a dry run changes
   * nothing, so it goes on and shows the plan of every writer that can run beside the reason of each one that
   * cannot.
   */
  static Read read(List<Writer> writers, boolean dryRun, List<WriterResult> results) {
    List<String> cannotRun = new ArrayList<>();
    List<Holding> holdings = new ArrayList<>(Collections.nCopies(writers.size(), (Holding) null));
    boolean[] failed = new boolean[writers.size()];
    for (int i = 0; i < writers.size(); i++) {
      try {
        writers.get(i).check();
      } catch (WriterException e) {
        cannotRun.add(e.getMessage());
        results.add(failed(writers.get(i), e.getMessage()));
        failed[i] = true;
      }
    }
    if (!cannotRun.isEmpty() && !dryRun) {
      return new Read(holdings, cannotRun, "nothing applied, a writer cannot run here: "
          + String.join("; ", cannotRun));
    }
    for (int i = 0; i < writers.size(); i++) {
      if (failed[i]) {
        continue;
      }
      try {
        holdings.set(i, writers.get(i).read());
      } catch (WriterException e) {
        results.add(failed(writers.get(i), e.getMessage()));
        if (!dryRun) {
          return new Read(holdings, cannotRun, "nothing applied: " + e.getMessage());
        }
        cannotRun.add(e.getMessage());
      }
    }
    return new Read(holdings, cannotRun, null);
  }

  static WriterResult failed(Writer w, String error) {
    return new WriterResult(w.name(), WriterResult.Outcome.FAILED, 0, 0, 0, List.of(), error);
  }

  /** The largest list a writer holds: what an earlier sync applied, when the snapshot is unusable. */
  static Optional<SortedSet<IpRange>> largest(List<Holding> holdings) {
    return holdings.stream().filter(Objects::nonNull).map(Holding::entries).filter(e -> !e.isEmpty())
        .max(Comparator.comparingInt(SortedSet::size));
  }

  /**
   * The largest list a writer holds beyond the operator's own entries ({@code alsoAllow} and its own): empty when no
   * writer holds anything an earlier sync could have fetched.
   */
  static Optional<SortedSet<IpRange>> listed(List<Writer> writers, List<Holding> holdings,
      SortedSet<IpRange> alsoAllow) {
    Optional<SortedSet<IpRange>> best = Optional.empty();
    for (int i = 0; i < writers.size(); i++) {
      Holding h = holdings.get(i);
      if (h == null) {
        continue;
      }
      SortedSet<IpRange> list = new TreeSet<>(h.entries());
      list.removeAll(alsoAllow);
      list.removeAll(OwnEntries.of(writers.get(i)));
      if (!list.isEmpty() && (best.isEmpty() || list.size() > best.get().size())) {
        best = Optional.of(list);
      }
    }
    return best;
  }

  /**
   * The address guards counted against each writer's own target: why {@code desired} (in the writer's scope, the
   * operator's own entries aside) would open more than {@code guard} allows beyond what the writer admits now, or
   * null. The last applied list is what the store says; this is what the firewall says, so an entry a store claims is
   * applied but no writer holds is counted as new. Removals are not counted here: an entry a writer holds beyond
   * the list is never kept open to spare a guard.
   */
  static String opensTooMuch(List<Writer> writers, List<Holding> holdings, Allowlist desired,
      SortedSet<IpRange> alsoAllow, GuardSettings guard) {
    for (int i = 0; i < writers.size(); i++) {
      Holding h = holdings.get(i);
      if (h == null) {
        continue;
      }
      SortedSet<IpRange> will = new TreeSet<>(writers.get(i).scope(desired.forWriter(writers.get(i))));
      will.removeAll(alsoAllow);
      will.removeAll(OwnEntries.of(writers.get(i)));
      String why = Plan.opensTooMuch(h.entries(), will, guard, " that " + writers.get(i).name()
          + " does not admit now");
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  /** The results of the writers that were read but are left as they are. */
  static List<WriterResult> skipped(List<Writer> writers, List<Holding> holdings) {
    List<WriterResult> out = new ArrayList<>();
    for (int i = 0; i < writers.size(); i++) {
      if (holdings.get(i) != null) {
        out.add(skipped(writers.get(i), holdings.get(i)));
      }
    }
    return out;
  }

  /** The result of a writer that was read but left as it is. */
  static WriterResult skipped(Writer w, Holding h) {
    return new WriterResult(w.name(), WriterResult.Outcome.SKIPPED, h.entries().size(), 0, 0, h.drift(), null);
  }

  /** What a dry run's summary says about the writers that cannot run: a real sync would apply nothing. */
  static String toFix(List<String> cannotRun) {
    return (cannotRun.size() == 1 ? "a writer cannot run here" : cannotRun.size() + " writers cannot run here")
        + ", and a real sync applies nothing until " + (cannotRun.size() == 1 ? "it is" : "they are") + " fixed: "
        + String.join("; ", cannotRun);
  }
}

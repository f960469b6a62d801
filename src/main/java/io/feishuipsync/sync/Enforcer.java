package io.feishuipsync.sync;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.EnforceSettings;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.RestoreStep;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.state.FileErrors;
import io.feishuipsync.state.RestoreFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the local writers (kernel firewalls, files) to what the last sync applied, between syncs: a check reads each
 * back, without asking Feishu, and repairs whatever differs in one apply of the writer (a missing table, chain, set,
 * jump or rule, a missing element, an element not on the list). The kernel is the thing checked, not the snapshot.
 * A sync and a check never overlap: the sync holds the same lock while it reads and applies the writers, and tells
 * this object what each writer now holds, so a check can never put back a list the sync just replaced.
 */
public final class Enforcer {

  private static final Logger log = LoggerFactory.getLogger(Enforcer.class);
  private static final int SHOWN = 5;

  /**
   * One check's finding for one writer.
   *
   * @param writer the writer's name
   * @param wrong what differed, one sentence each (already safe to log)
   * @param error why reading or repairing failed, or null when the writer was repaired
   */
  public record Repair(String writer, List<String> wrong, String error) {

    public boolean repaired() {
      return error == null;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final List<Writer> writers;
  /** What each local writer last applied, by name; guarded by {@link #lock}. */
  private final Map<String, SortedSet<IpRange>> applied = new LinkedHashMap<>();
  private final Map<String, String> lastError = new LinkedHashMap<>();
  private final RestoreFiles restore;
  private final boolean closedBeforeFirstList;

  /**
   * Holds the local ones of {@code writers}; {@code restore} keeps the boot-time copy (null: none kept, as in tests
   * and cluster runs).
   */
  public Enforcer(List<Writer> writers, EnforceSettings settings, RestoreFiles restore) {
    this.writers = writers.stream().filter(Writer::local).toList();
    this.restore = restore;
    this.closedBeforeFirstList = settings.closedBeforeFirstList();
  }

  /** An enforcer of nothing that never closes: for cluster runs and the tests of other things. */
  public static Enforcer none() {
    return new Enforcer(List.of(), new EnforceSettings(EnforceSettings.DEFAULT_INTERVAL, false), null);
  }

  /** Whether the local writers close before a first list ({@code enforce.before_first_list: closed}). */
  boolean closedBeforeFirstList() {
    return closedBeforeFirstList && !writers.isEmpty();
  }

  /** True for a writer this enforcer holds. */
  boolean holds(Writer w) {
    return writers.contains(w);
  }

  /**
   * Starts from the list of the last successful sync (the snapshot) for every local writer that no sync of this
   * process has set yet: at start, a flush is repaired before Feishu has answered.
   */
  public void seed(Allowlist lastApplied) {
    if (lastApplied.isEmpty()) {
      return;
    }
    locked(() -> {
      for (Writer w : writers) {
        applied.putIfAbsent(w.name(), Collections.unmodifiableSortedSet(new TreeSet<>(w.scope(
            lastApplied.forWriter(w)))));
      }
      return null;
    });
  }

  /** Runs {@code work} with no check running, as a sync's writer phase does. */
  <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * After a sync's real apply of {@code list} to {@code w} (with the lock held): when the writer now holds its scope
   * of the list ({@code r} changed or unchanged), that is what checks hold it to; after a failure, what it held.
   */
  void applied(Writer w, WriterResult r, SortedSet<IpRange> list) {
    if (holds(w) && (r.outcome() == WriterResult.Outcome.CHANGED || r.outcome() == WriterResult.Outcome.UNCHANGED)) {
      applied.put(w.name(), Collections.unmodifiableSortedSet(new TreeSet<>(w.scope(list))));
    }
  }

  /** What {@code w} was last made to hold, or null when no sync has set it. */
  SortedSet<IpRange> appliedTo(Writer w) {
    return locked(() -> applied.get(w.name()));
  }

  /**
   * Writes the boot-time copy of what every local writer holds now; called with the lock held after the writers
   * were applied. Nothing to do without a restore store or with nothing applied yet. Returns null, or what failed.
   */
  String saveRestore() {
    if (restore == null || applied.isEmpty()) {
      return null;
    }
    List<RestoreStep> steps = new ArrayList<>();
    for (Writer w : writers) {
      SortedSet<IpRange> desired = applied.get(w.name());
      if (desired != null) {
        steps.addAll(w.restore(desired));
      }
    }
    try {
      restore.save(steps);
      return null;
    } catch (IOException e) {
      // The run's outcome says it (one line, as for the snapshot).
      return "the boot-time copy of the rules in " + restore.dir() + " could not be saved: " + FileErrors.describe(e);
    }
  }

  /**
   * Reads every local writer back and repairs each one that differs from what it last applied; never throws. A
   * writer no sync has set yet is left alone. Each repair is one log line saying what was wrong; a failure to read
   * or repair is logged when it first happens and when it changes.
   */
  public List<Repair> check() {
    return locked(() -> {
      List<Repair> out = new ArrayList<>();
      for (Writer w : writers) {
        SortedSet<IpRange> desired = applied.get(w.name());
        if (desired != null) {
          Repair r = check(w, desired);
          if (r != null) {
            out.add(r);
          }
        }
      }
      return out;
    });
  }

  private Repair check(Writer w, SortedSet<IpRange> desired) {
    Holding h;
    try {
      h = w.read();
    } catch (WriterException | RuntimeException e) {
      return failed(w, List.of(), "cannot read it back: " + e.getMessage());
    }
    if (h.inSync(desired)) {
      if (lastError.remove(w.name()) != null) {
        log.info("enforce: {}: holds the applied list again", w.name());
      }
      return null;
    }
    List<String> wrong = wrong(h, desired);
    try {
      // As a sync does before it changes anything (a file writer's directory may have become shared).
      w.check();
      w.apply(desired, ChangeSet.between(h.entries(), desired));
    } catch (WriterException | RuntimeException e) {
      return failed(w, wrong, "cannot repair it: " + e.getMessage());
    }
    lastError.remove(w.name());
    log.warn("enforce: {}: repaired, it held something else than the applied list: {}", w.name(),
        String.join("; ", wrong));
    return new Repair(w.name(), wrong, null);
  }

  private Repair failed(Writer w, List<String> wrong, String why) {
    String error = Sanitize.text(why);
    if (!error.equals(lastError.put(w.name(), error))) {
      log.error("enforce: {}: {}{}", w.name(), error, wrong.isEmpty() ? "" : " (" + String.join("; ", wrong) + ")");
    }
    return new Repair(w.name(), wrong, error);
  }

  /** What differs, one sentence each: the writer's drift, missing entries, entries not on the list. */
  private static List<String> wrong(Holding h, SortedSet<IpRange> desired) {
    List<String> out = new ArrayList<>();
    h.drift().forEach(d -> out.add(Sanitize.text(d)));
    ChangeSet c = ChangeSet.between(h.entries(), desired);
    if (!c.added().isEmpty()) {
      out.add(entries(c.added().size()) + " of the list missing (" + shown(c.added()) + ")");
    }
    if (!c.removed().isEmpty()) {
      out.add(entries(c.removed().size()) + " not on the list (" + shown(c.removed()) + ")");
    }
    return out;
  }

  private static String entries(int n) {
    return n == 1 ? "1 entry" : n + " entries";
  }

  private static String shown(SortedSet<IpRange> entries) {
    List<String> first = entries.stream().limit(SHOWN).map(IpRange::toString).toList();
    return String.join(", ", first) + (entries.size() > SHOWN ? ", ..." : "");
  }
}

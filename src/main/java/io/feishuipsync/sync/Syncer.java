package io.feishuipsync.sync;

import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.SourceReport;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.state.FileErrors;
import io.feishuipsync.state.StateLock;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.state.Status;
import io.feishuipsync.state.SyncState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync: fetch every source, check the writers, plan against the last applied list ({@link ListMerge}), guard,
 * apply to every writer, record. The snapshot advances only when every writer succeeded, so a failed writer is
 * retried with the same change.
 * The caller holds the {@link StateLock} (except for dry runs, which write nothing).
 */
public final class Syncer {

  private static final Logger log = LoggerFactory.getLogger(Syncer.class);

  /**
   * How to run: {@code dryRun} applies and records nothing; {@code force} lifts the change guards; {@code prune}
   * lets every pending removal happen now.
   */
  public record Options(boolean dryRun, boolean force, boolean prune) {

    public Options(boolean dryRun, boolean force) {
      this(dryRun, force, false);
    }
  }

  private final Senders senders;
  private final SyncState store;
  private final List<Writer> writers;
  private final GuardSettings guard;
  private final Clock clock;
  private final Enforcer enforcer;

  /** A syncer of one source with no own entries and removals at once. */
  public Syncer(AddressSource source, SyncState store, List<Writer> writers, GuardSettings guard, Clock clock) {
    this(Senders.single(source), store, writers, guard, clock);
  }

  /** A syncer whose writers no enforcer holds between runs. */
  public Syncer(Senders senders, SyncState store, List<Writer> writers, GuardSettings guard, Clock clock) {
    this(senders, store, writers, guard, clock, Enforcer.none());
  }

  /**
   * A syncer that tells {@code enforcer} what each of its local writers holds after every run, and never reads or
   * applies a writer while the enforcer checks one.
   */
  public Syncer(Senders senders, SyncState store, List<Writer> writers, GuardSettings guard, Clock clock,
      Enforcer enforcer) {
    this.senders = senders;
    this.store = store;
    this.writers = List.copyOf(writers);
    this.guard = guard;
    this.clock = clock;
    this.enforcer = enforcer;
  }

  /** Runs one sync; never throws for an expected failure, the result says what happened. */
  public SyncResult runOnce(Options options) {
    Run run = new Run(options, clock.instant());
    SyncResult result;
    try {
      result = run.execute();
    } catch (OutOfMemoryError e) {
      // The JVM runs with ExitOnOutOfMemoryError; nothing here could be trusted to record it.
      throw e;
    } catch (Throwable e) {
      // A bug or a broken library must still leave a record (status, metrics, notification, retry).
      log.error("sync failed unexpectedly", e);
      result = run.finish(SyncResult.Outcome.ERROR, "sync failed unexpectedly: " + Sanitize.text(e.toString()),
          false);
    }
    if (!options.dryRun()) {
      try {
        store.saveStatus(Status.after(store.loadStatus(), result, clock.instant()));
      } catch (IOException e) {
        // A failed run has already said what went wrong, most often this same disk: one line is enough.
        if (result.outcome() == SyncResult.Outcome.SUCCESS) {
          log.error("cannot record the run's status in {}: {}", store.where(), e.getMessage());
        } else {
          log.debug("cannot record the run's status in {}: {}", store.where(), e.getMessage());
        }
      }
    }
    return result;
  }

  /** What the last run applied, as a run takes it from the store ({@link ReadBack}): where enforcement starts. */
  public Allowlist lastApplied() {
    return ReadBack.lastApplied(store, senders, writers, clock.instant());
  }

  /** The state of one run. */
  private final class Run {
    private final Options options;
    private final Instant start;
    private final List<WriterResult> results = new ArrayList<>();
    private int requests;
    private int total;
    private SortedSet<IpRange> list = new TreeSet<>();
    private ChangeSet change = new ChangeSet(new TreeSet<>(), new TreeSet<>());
    private List<SourceReport> sources = List.of();
    /** Set when no source answered but own entries go out with the last good list: every outcome says so. */
    private String noSource;

    Run(Options options, Instant start) {
      this.options = options;
      this.start = start;
    }

    SyncResult execute() {
      Senders.Fetch fetch = senders.fetchAll();
      requests = fetch.requests();
      if (fetch.abandoned() != null) {
        return finish(SyncResult.Outcome.ABANDONED, fetch.abandoned().getMessage(), false);
      }
      // Nothing was applied while the sources were asked; from here on no enforcement check runs beside this.
      return enforcer.locked(() -> withWriters(fetch));
    }

    private SyncResult withWriters(Senders.Fetch fetch) {
      // When no source answers, the last applied list is put back as it stands (with the operator's entries).
      StateStore.Loaded loaded = store.loadSnapshot();
      noSource = fetch.allFailed() ? "fetch failed: " + fetch.errors() : null;
      if (loaded.firstRun()) {
        log.info("snapshot: {}", loaded.problem());
      } else if (loaded.problem() != null) {
        log.warn("snapshot: {}", loaded.problem());
      }
      Optional<String> distrusted = loaded.snapshot()
          .flatMap(s -> ReadBack.problem(s, senders, writers, clock.instant(), store.where()));
      if (distrusted.isPresent()) {
        markSkipped();
        return finish(SyncResult.Outcome.REFUSED, "refused, nothing applied: " + distrusted.get(), false);
      }

      Holdings.Read read = Holdings.read(writers, options.dryRun(), results);
      if (read.stop() != null) {
        markSkipped();
        return finish(SyncResult.Outcome.WRITER_FAILED, read.stop(), false);
      }
      List<Holding> holdings = read.holdings();
      List<String> cannotRun = read.cannotRun();

      boolean noList = loaded.snapshot().isEmpty()
          && Holdings.listed(writers, holdings, senders.alsoAllow()).isEmpty();
      if (fetch.allFailed() && noList) {
        // No list known anywhere: nothing is safe to apply but closing the ports (README).
        return beforeFirstList(holdings, SyncResult.Outcome.SOURCE_FAILED, "fetch failed: " + fetch.errors());
      }
      ListMerge.Result merge = ListMerge.plan(new ListMerge.Input(fetch.answers(), loaded.snapshot(),
          Holdings.largest(holdings), senders.alsoAllow(), senders.removal(), guard, options.force(), options.prune(),
          clock.instant()));
      Allowlist desired = merge.allowlist();
      change = merge.change();
      list = merge.desired();
      total = list.size();
      sources = merge.reports();
      // The guards count the list against the last applied one, then against what each writer admits now.
      String refusal = merge.refusal() != null || options.force() ? merge.refusal()
          : Holdings.opensTooMuch(writers, holdings, desired, senders.alsoAllow(), guard);
      if (refusal != null) {
        if (noList && cannotRun.isEmpty()) {
          return beforeFirstList(holdings, SyncResult.Outcome.REFUSED, "refused: " + refusal);
        }
        skipRead(holdings);
        String refused = "refused, nothing applied: " + refusal;
        return cannotRun.isEmpty() ? finish(SyncResult.Outcome.REFUSED, refused, false)
            : finish(SyncResult.Outcome.WRITER_FAILED, "dry run: " + refused + "; " + Holdings.toFix(cannotRun), false);
      }

      boolean allOk = true;
      for (int i = 0; i < writers.size(); i++) {
        if (holdings.get(i) == null) {
          continue;
        }
        Writer w = writers.get(i);
        WriterResult r = WriterRun.apply(w, holdings.get(i), desired.forWriter(w),
            loaded.snapshot().map(s -> ReadBack.allowlist(s, senders).forWriter(w)), options.dryRun());
        allOk &= r.outcome() != WriterResult.Outcome.FAILED;
        results.add(r);
        enforcer.applied(w, r, desired.forWriter(w));
      }
      String restoreFailed = options.dryRun() ? null : enforcer.saveRestore();
      if (options.dryRun()) {
        String summary = "dry run: " + total + " entries, " + change + ", nothing applied";
        return cannotRun.isEmpty() ? finish(SyncResult.Outcome.SUCCESS, summary, false)
            : finish(SyncResult.Outcome.WRITER_FAILED, summary + "; " + Holdings.toFix(cannotRun), false);
      }
      if (!allOk) {
        return finish(SyncResult.Outcome.WRITER_FAILED, "writer failed: " + failures()
            + "; snapshot kept, the next run retries", false);
      }
      if (restoreFailed != null) {
        return finish(SyncResult.Outcome.ERROR, "writers applied the list but " + restoreFailed
            + "; snapshot kept, the next run retries", false);
      }
      try {
        boolean changed = !change.isEmpty() || loaded.snapshot().isEmpty();
        if (changed) {
          store.appendHistory(clock.instant(), change, total, merge.snapshot().source(),
              sources.size() > 1 ? merge.origins() : java.util.Map.of());
        }
        if (changed || !fetch.allFailed()) {
          store.saveSnapshot(merge.snapshot());
        }
      } catch (IOException e) {
        return finish(SyncResult.Outcome.ERROR, "writers applied the list but the state in " + store.where()
            + " could not be saved: " + FileErrors.describe(e), false);
      }
      String done = (change.isEmpty() ? "unchanged: " : "applied: ") + total + " entries, " + change;
      if (fetch.allFailed()) {
        return finish(SyncResult.Outcome.SOURCE_FAILED, "fetch failed: " + fetch.errors() + "; the last "
            + (ownEntries() ? "good list and your own entries are held, " : "applied list is held, ") + done, false);
      }
      return fetch.anyFailed() ? finish(SyncResult.Outcome.PARTIAL, "partial, " + done + "; the last good list"
          + " of each failed source is kept: " + fetch.errors(), true) : finish(SyncResult.Outcome.SUCCESS, done, true);
    }

    /**
     * No list has ever been applied and none can be now: with {@code enforce.before_first_list: closed} every local
     * writer holds only the operator's own entries (loopback is never filtered), and the enforcer keeps it so; other
     * writers are left alone (a cloud group without our rules admits nobody). Nothing is recorded as applied.
     */
    private SyncResult beforeFirstList(List<Holding> holdings, SyncResult.Outcome outcome, String why) {
      if (!enforcer.closedBeforeFirstList()) {
        skipRead(holdings);
        return finish(outcome, why + "; no list has been applied yet, nothing applied", false);
      }
      results.addAll(FirstList.close(writers, holdings, enforcer, senders.alsoAllow(), options.dryRun()));
      String restoreFailed = options.dryRun() ? null : enforcer.saveRestore();
      String message = why + "; no list has been applied yet: " + FirstList.closed(options.dryRun(), ownEntries());
      if (results.stream().anyMatch(r -> r.outcome() == WriterResult.Outcome.FAILED)) {
        return finish(SyncResult.Outcome.WRITER_FAILED, message + "; but a writer failed: " + failures(), false);
      }
      return finish(outcome, restoreFailed == null ? message : message + "; " + restoreFailed, false);
    }

    private void skipRead(List<Holding> holdings) {
      results.addAll(Holdings.skipped(writers, holdings));
    }

    private boolean ownEntries() {
      return !senders.alsoAllow().isEmpty() || writers.stream().anyMatch(w -> !OwnEntries.of(w).isEmpty());
    }

    private void markSkipped() {
      for (Writer w : writers) {
        if (results.stream().noneMatch(r -> r.writer().equals(w.name()))) {
          results.add(new WriterResult(w.name(), WriterResult.Outcome.SKIPPED, 0, 0, 0, List.of(), null));
        }
      }
    }

    private String failures() {
      return String.join("; ", results.stream().filter(r -> r.error() != null).map(WriterResult::error).toList());
    }

    private SyncResult finish(SyncResult.Outcome outcome, String message, boolean applied) {
      if (noSource != null && !message.startsWith(noSource)) {
        message = noSource + "; " + message;
      }
      List<WriterResult> ordered = new ArrayList<>();
      for (Writer w : writers) {
        results.stream().filter(r -> r.writer().equals(w.name())).findFirst().ifPresent(ordered::add);
      }
      SyncResult r = new SyncResult(outcome, message, total, change.added(), change.removed(), applied,
          options.dryRun(), ordered, start, Duration.between(start, clock.instant()), requests, list, sources);
      // The caller (CLI or daemon) reports failures to the operator; this line is the record.
      log.info("sync {}: {}", outcome.name().toLowerCase(java.util.Locale.ROOT), message);
      return r;
    }
  }
}

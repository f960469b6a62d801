package io.feishuipsync.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one sync did, for the CLI, the log, {@code status} and metrics.
 *
 * @param outcome overall result, which fixes the exit code
 * @param message one line for the operator
 * @param total entries in the fetched list (0 when the fetch failed)
 * @param added entries added against the previous list
 * @param removed entries removed against the previous list
 * @param applied true when every writer now holds the fetched list and the snapshot was advanced
 * @param dryRun true when nothing was to be applied
 * @param writers per writer, in config order
 * @param startedAt when the run began
 * @param duration how long it took
 * @param requests HTTP requests made to the source
 * @param list the list as planned, the operator's own entries included (empty when the fetch failed)
 * @param sources what each source contributed, in config order, the operator's own entries last (empty when the
 *     run got no list)
 */
public record SyncResult(Outcome outcome, String message, int total, SortedSet<IpRange> added,
    SortedSet<IpRange> removed, boolean applied, boolean dryRun, List<WriterResult> writers, Instant startedAt,
    Duration duration, int requests, SortedSet<IpRange> list, List<SourceReport> sources) {

  public SyncResult {
    added = Collections.unmodifiableSortedSet(new TreeSet<>(added));
    removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
    writers = List.copyOf(writers);
    list = Collections.unmodifiableSortedSet(new TreeSet<>(list));
    sources = List.copyOf(sources);
  }

  /** A result that does not say where its entries came from. */
  public SyncResult(Outcome outcome, String message, int total, SortedSet<IpRange> added, SortedSet<IpRange> removed,
      boolean applied, boolean dryRun, List<WriterResult> writers, Instant startedAt, Duration duration,
      int requests, SortedSet<IpRange> list) {
    this(outcome, message, total, added, removed, applied, dryRun, writers, startedAt, duration, requests, list,
        List.of());
  }

  /** A result that does not carry the fetched list. */
  public SyncResult(Outcome outcome, String message, int total, SortedSet<IpRange> added, SortedSet<IpRange> removed,
      boolean applied, boolean dryRun, List<WriterResult> writers, Instant startedAt, Duration duration,
      int requests) {
    this(outcome, message, total, added, removed, applied, dryRun, writers, startedAt, duration, requests,
        new TreeSet<>());
  }

  /** Overall result of a run, with the CLI's exit code. */
  public enum Outcome {
    SUCCESS(0),
    SOURCE_FAILED(3),
    REFUSED(4),
    WRITER_FAILED(5),
    ERROR(1),
    /**
     * At least one source failed and at least one answered: the union of the fresh lists and each failed source's
     * last good list was applied. Not a failure (the list went out; a stale source has its own alert).
     */
    PARTIAL(6),
    /** The daemon was stopping and gave up the fetch: nothing applied, and no failure of Feishu's or a writer's. */
    ABANDONED(1);

    private final int exitCode;

    Outcome(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }

    /**
     * The one definition of a failed run, for status, metrics, the daemon's early retry and the "failing" alert: the
     * source or a writer failed, or something unexpected did. A guard refusal is not a failure: it is a decision
     * that waits for a person (it has its own notification and alert) and asking again changes nothing; nor is a
     * fetch abandoned because the daemon is stopping.
     */
    public boolean isFailure() {
      return this == SOURCE_FAILED || this == WRITER_FAILED || this == ERROR;
    }

    /**
     * Failed runs since the last success, after a run with this outcome: a refusal neither counts nor clears them; a
     * partial run applied the list, so it clears them (a source that keeps failing has its own "stale" alert).
     */
    public int consecutiveFailures(int before) {
      return this == SUCCESS || this == PARTIAL ? 0 : isFailure() ? before + 1 : before;
    }
  }
}

package io.feishuipsync.core;

import java.util.List;

/**
 * What one writer did in one run.
 *
 * @param writer the writer's name
 * @param outcome what happened
 * @param entries entries the target holds after the run (before it, when nothing was applied)
 * @param added entries added (or that would be, in a dry run)
 * @param removed entries removed (or that would be)
 * @param drift differences found besides entries (a missing rule, a foreign line), repaired when applied
 * @param error the failure, one line, or null
 * @param created true when no earlier sync had filled the target and what was missing of it was (or would be)
 *     created: a first sync, not drift
 */
public record WriterResult(String writer, Outcome outcome, int entries, int added, int removed, List<String> drift,
    String error, boolean created) {

  public WriterResult {
    drift = List.copyOf(drift);
  }

  /** A result for a target that was not being created. */
  public WriterResult(String writer, Outcome outcome, int entries, int added, int removed, List<String> drift,
      String error) {
    this(writer, outcome, entries, added, removed, drift, error, false);
  }

  /** What happened to one writer. */
  public enum Outcome {
    /** Already held the list; nothing written. */
    UNCHANGED,
    /** Changed to hold the list. */
    CHANGED,
    /** Dry run: would have changed. */
    WOULD_CHANGE,
    /** Failed; its target holds what it held before. */
    FAILED,
    /** Not attempted (the run stopped before applying). */
    SKIPPED
  }
}

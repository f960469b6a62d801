package io.feishuipsync.state;

import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code status.json} holds: the last attempt, the last success, failed runs since it, and each writer's last
 * result. {@link StatusFile} alone reads and writes it.
 *
 * @param lastAttempt the last run, or null when the file holds none
 * @param lastSuccess the last run that applied the list everywhere, or null when none is recorded
 * @param consecutiveFailures failed runs since the last success ({@link SyncResult.Outcome#consecutiveFailures})
 * @param writers each writer's last result by name, in the order first seen
 */
public record Status(Attempt lastAttempt, Success lastSuccess, int consecutiveFailures,
    Map<String, WriterStatus> writers) {

  public Status {
    writers = Collections.unmodifiableMap(new LinkedHashMap<>(writers));
  }

  /**
   * One run as recorded.
   *
   * @param time when it began, or null when unreadable
   * @param outcome its outcome, or null when unreadable
   * @param exitCode the CLI's exit code for it
   * @param message one line for the operator, as sanitized when the run ended
   * @param durationMs how long it took
   * @param requests HTTP requests made to the source
   */
  public record Attempt(Instant time, SyncResult.Outcome outcome, int exitCode, String message, long durationMs,
      int requests) {}

  /**
   * The last applied list.
   *
   * @param time when it was applied, or null when unreadable
   * @param total entries in it
   * @param added entries it added
   * @param removed entries it removed
   */
  public record Success(Instant time, int total, int added, int removed) {}

  /**
   * One writer's last result, from the last run that reached it.
   *
   * @param time when it was recorded, or null when unreadable
   * @param outcome what happened, or null when unreadable
   * @param entries entries the target held after it
   * @param added entries added
   * @param removed entries removed
   * @param drift differences found besides entries
   * @param error the failure, one line, or null
   */
  public record WriterStatus(Instant time, WriterResult.Outcome outcome, int entries, int added, int removed,
      List<String> drift, String error) {

    public WriterStatus {
      drift = List.copyOf(drift);
    }
  }

  /** The time of the last success, if one is recorded. */
  public Optional<Instant> lastSuccessTime() {
    return Optional.ofNullable(lastSuccess).map(Success::time);
  }

  /**
   * The status after run {@code r}, ended at {@code now}: a run that applied nothing keeps the last success, and
   * writers the run did not reach keep their last result.
   */
  public static Status after(Optional<Status> previous, SyncResult r, Instant now) {
    Attempt attempt = new Attempt(r.startedAt(), r.outcome(), r.outcome().exitCode(), r.message(),
        r.duration().toMillis(), r.requests());
    Success success = r.applied() ? new Success(now, r.total(), r.added().size(), r.removed().size())
        : previous.map(Status::lastSuccess).orElse(null);
    int failures = r.outcome().consecutiveFailures(previous.map(Status::consecutiveFailures).orElse(0));
    Map<String, WriterStatus> writers = new LinkedHashMap<>(previous.map(Status::writers).orElse(Map.of()));
    for (WriterResult w : r.writers()) {
      if (w.outcome() != WriterResult.Outcome.SKIPPED) {
        writers.put(w.writer(), new WriterStatus(now, w.outcome(), w.entries(), w.added(), w.removed(), w.drift(),
            w.error()));
      }
    }
    return new Status(attempt, success, failures, writers);
  }

  /** An outcome as status.json spells it. */
  static String spell(Enum<?> outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }
}

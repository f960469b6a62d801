package io.feishuipsync.cloud;

import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import java.time.Duration;

/**
 * How the cloud writers wait out throttling: 1 s, 2 s, 4 s, ... at most 20 s between attempts, at most
 * {@link #MAX_ATTEMPTS} attempts in all.
 */
public final class Backoff {

  /** Attempts of one call before throttling is reported as an error. */
  public static final int MAX_ATTEMPTS = 6;

  private Backoff() {}

  /** The wait after failed attempt {@code attempt} (counted from 1). */
  public static Duration after(int attempt) {
    return Duration.ofMillis(Math.min(20_000, 500L << attempt));
  }

  /** Waits after attempt {@code attempt}; an interrupt becomes an error of {@code writer} about {@code service}. */
  public static void pause(Sleeper sleeper, int attempt, String writer, String service) throws WriterException {
    try {
      sleeper.sleep(after(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriterException(writer, "interrupted while waiting out " + service + " throttling", e);
    }
  }
}

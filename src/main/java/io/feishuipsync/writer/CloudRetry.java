package io.feishuipsync.writer;

import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import java.time.Duration;

/** The backoff the cloud writers share when their API says "too many requests": 1 s, 2 s, 4 s ... at most 20 s. */
public final class CloudRetry {

  /** Calls made before throttling is reported as an error. */
  public static final int MAX_ATTEMPTS = 6;

  private CloudRetry() {}

  /** The wait after failed attempt {@code attempt} (1-based). */
  public static Duration backoff(int attempt) {
    return Duration.ofMillis(Math.min(20_000, 500L << Math.min(attempt, 10)));
  }

  /** Waits out the backoff of {@code attempt}; an interrupt becomes an error of {@code writer}. */
  public static void pause(Sleeper sleeper, int attempt, String writer) throws WriterException {
    try {
      sleeper.sleep(backoff(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriterException(writer, "interrupted while waiting out throttling", e);
    }
  }
}

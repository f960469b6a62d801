package io.feishuipsync.daemon;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enforcement check of the local writers at once and then every {@code enforce.interval}, on a thread of
 * its own, so that a sync waiting for Feishu never delays a repair.
 */
public final class EnforceLoop implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EnforceLoop.class);

  private final ScheduledExecutorService executor;

  private EnforceLoop(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Starts calling {@code check} now and then {@code interval} after each call ended; it must not throw. */
  public static EnforceLoop start(Runnable check, Duration interval) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "enforce");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(() -> {
      try {
        check.run();
      } catch (RuntimeException e) {
        // A check that threw must not end the loop: the next one may repair.
        log.error("enforcement check failed unexpectedly: {}", e.toString());
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new EnforceLoop(executor);
  }

  /** Stops the loop; a check in progress finishes (a repair is one transaction, never cut short). */
  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
      log.warn("an enforcement check is still running after 30s; leaving it");
    }
  }
}

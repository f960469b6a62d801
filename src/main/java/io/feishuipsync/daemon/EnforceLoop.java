package io.feishuipsync.daemon;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enforcement check of the local writers at once and then every {@code enforce.interval}, on a thread of
 * its own, so that a sync waiting for Feishu never delays a repair.
 */
public final class EnforceLoop implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EnforceLoop.class);

  private final ScheduledExecutorService executor;
  private final Runnable check;
  /** True while a check asked for by {@link #checkNow()} waits to run: many events make one check. */
  private final AtomicBoolean asked = new AtomicBoolean();
  private static final long MIN_SPACING_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** When the last asked-for check started; read and written on the loop's thread and by {@link #checkNow}. */
  private volatile long lastAsked = System.nanoTime() - MIN_SPACING_NANOS;

  private EnforceLoop(ScheduledExecutorService executor, Runnable check) {
    this.executor = executor;
    this.check = check;
  }

  /** Starts calling {@code check} now and then {@code interval} after each call ended; it must not throw. */
  public static EnforceLoop start(Runnable check, Duration interval) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "enforce");
      t.setDaemon(true);
      return t;
    });
    EnforceLoop loop = new EnforceLoop(executor, check);
    executor.scheduleWithFixedDelay(loop::runCheck, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return loop;
  }

  /**
   * Asks for a check as soon as the one in progress (if any) ends, as a change event does; requests made while one
   * waits are one check. Never blocks.
   */
  public void checkNow() {
    if (asked.compareAndSet(false, true)) {
      // At most one such check a second: a target that some other tool keeps changing back (or that reads back
      // differently from what was written) must not turn the events of our own repairs into a busy loop.
      long wait = Math.max(0, lastAsked + MIN_SPACING_NANOS - System.nanoTime());
      try {
        executor.schedule(() -> {
          asked.set(false);
          lastAsked = System.nanoTime();
          runCheck();
        }, wait, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Stopping.
      }
    }
  }

  private void runCheck() {
    try {
      check.run();
    } catch (RuntimeException e) {
      // A check that threw must not end the loop: the next one may repair.
      log.error("enforcement check failed unexpectedly: {}", e.toString());
    }
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

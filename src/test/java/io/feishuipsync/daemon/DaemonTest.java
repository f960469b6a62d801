package io.feishuipsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.ScheduleSettings;
import io.feishuipsync.core.SyncResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DaemonTest {

  static SyncResult result(SyncResult.Outcome o) {
    return new SyncResult(o, o.name(), 0, new TreeSet<>(), new TreeSet<>(), o == SyncResult.Outcome.SUCCESS, false,
        List.of(), Instant.now(), Duration.ZERO, 0);
  }

  static ScheduleSettings every(Duration interval, Duration retry) {
    return new ScheduleSettings(interval, null, true, retry);
  }

  /** Runs the daemon in the background and stops it at the end. */
  static Thread startInBackground(Daemon d) throws Exception {
    d.start();
    Thread t = new Thread(() -> {
      try {
        d.awaitAndStop();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    t.start();
    return t;
  }

  @Test
  void syncsOnceAtStartAndNotAgainBeforeTheInterval() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch first = new CountDownLatch(1);
    Daemon d = new Daemon(() -> {
      runs.incrementAndGet();
      first.countDown();
      return result(SyncResult.Outcome.SUCCESS);
    }, every(Duration.ofHours(6), Duration.ofMinutes(5)));
    Thread t = startInBackground(d);
    assertTrue(first.await(10, TimeUnit.SECONDS));
    Thread.sleep(300);
    assertEquals(1, runs.get());
    long next = d.nextFireTime().getTime() - System.currentTimeMillis();
    assertTrue(next > Duration.ofHours(5).toMillis() && next <= Duration.ofHours(6).toMillis(), "next in " + next);
    d.requestStop();
    t.join(10_000);
    assertFalse(t.isAlive());
  }

  @Test
  void failedSyncIsRetriedEarlyWithBackoffUntilItRecovers() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch recovered = new CountDownLatch(1);
    Supplier<SyncResult> sync = () -> {
      int n = runs.incrementAndGet();
      if (n < 3) {
        return result(SyncResult.Outcome.SOURCE_FAILED);
      }
      recovered.countDown();
      return result(SyncResult.Outcome.SUCCESS);
    };
    Daemon d = new Daemon(sync, every(Duration.ofHours(6), Duration.ofMillis(100)));
    Thread t = startInBackground(d);
    assertTrue(recovered.await(20, TimeUnit.SECONDS), "retried after failures, runs=" + runs.get());
    Thread.sleep(500);
    assertEquals(3, runs.get(), "no retry after recovery");
    d.requestStop();
    t.join(10_000);
  }

  @Test
  void refusalIsNotRetriedEarly() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Daemon d = new Daemon(() -> {
      runs.incrementAndGet();
      return result(SyncResult.Outcome.REFUSED);
    }, every(Duration.ofHours(6), Duration.ofMillis(50)));
    Thread t = startInBackground(d);
    Thread.sleep(1000);
    assertEquals(1, runs.get());
    d.requestStop();
    t.join(10_000);
  }

  @Test
  void aThrowingSyncDoesNotStopTheDaemon() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch second = new CountDownLatch(2);
    Daemon d = new Daemon(() -> {
      runs.incrementAndGet();
      second.countDown();
      throw new IllegalStateException("boom");
    }, every(Duration.ofHours(6), Duration.ofMillis(50)));
    Thread t = startInBackground(d);
    assertTrue(second.await(10, TimeUnit.SECONDS), "the daemon kept going and retried");
    d.requestStop();
    t.join(10_000);
    assertFalse(t.isAlive());
  }

  @Test
  void stopWaitsForTheSyncInProgressToFinish() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    Daemon d = new Daemon(() -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.set(true);
      return result(SyncResult.Outcome.SUCCESS);
    }, every(Duration.ofHours(6), Duration.ofMinutes(5)));
    Thread t = startInBackground(d);
    assertTrue(started.await(10, TimeUnit.SECONDS));
    d.requestStop();
    t.join(500);
    assertTrue(t.isAlive(), "stop waits while a sync is running");
    release.countDown();
    t.join(10_000);
    assertFalse(t.isAlive());
    assertTrue(finished.get());
  }

  @Test
  void retryDelayDoublesAndIsCapped() {
    Daemon d = new Daemon(() -> null, every(Duration.ofHours(6), Duration.ofMinutes(5)));
    assertEquals(Duration.ofMinutes(5), d.retryDelay(1));
    assertEquals(Duration.ofMinutes(10), d.retryDelay(2));
    assertEquals(Duration.ofMinutes(80), d.retryDelay(5));
    assertEquals(Duration.ofMinutes(90), d.retryDelay(6));
    assertEquals(Duration.ofMinutes(90), d.retryDelay(60));
  }

  @Test
  void cronScheduleAlsoRunsAtStart() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    Daemon d = new Daemon(() -> {
      first.countDown();
      return result(SyncResult.Outcome.SUCCESS);
    }, new ScheduleSettings(null, "0 0 */6 * * ?", true, Duration.ofMinutes(5)));
    Thread t = startInBackground(d);
    assertTrue(first.await(10, TimeUnit.SECONDS));
    d.requestStop();
    t.join(10_000);
  }
}

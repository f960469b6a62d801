package io.feishuipsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.SyncResult;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A sync that throws an Error is a failed run: retried early, and the daemon keeps going; a stop aborts fetches. */
class DaemonUnexpectedTest {

  @Test
  void aSyncThatThrowsAnErrorIsRetriedEarly() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch recovered = new CountDownLatch(1);
    Daemon d = new Daemon(() -> {
      if (runs.incrementAndGet() < 3) {
        throw new AssertionError("a broken library");
      }
      recovered.countDown();
      return DaemonTest.result(SyncResult.Outcome.SUCCESS);
    }, DaemonTest.every(Duration.ofHours(6), Duration.ofMillis(100)));
    Thread t = DaemonTest.startInBackground(d);
    assertTrue(recovered.await(20, TimeUnit.SECONDS), "retried after errors, runs=" + runs.get());
    d.requestStop();
    t.join(10_000);
    assertFalse(t.isAlive());
    assertEquals(3, runs.get());
  }

  @Test
  void stopCallsTheFetchAbortBeforeWaitingForTheSync() throws Exception {
    CountDownLatch inSync = new CountDownLatch(1);
    CountDownLatch aborted = new CountDownLatch(1);
    AtomicBoolean abortedWhileRunning = new AtomicBoolean();
    Daemon d = new Daemon(() -> {
      inSync.countDown();
      try {
        // A fetch that only an abort ends.
        abortedWhileRunning.set(aborted.await(60, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return DaemonTest.result(SyncResult.Outcome.SOURCE_FAILED);
    }, aborted::countDown, DaemonTest.every(Duration.ofHours(6), Duration.ofMinutes(5)));
    Thread t = DaemonTest.startInBackground(d);
    assertTrue(inSync.await(10, TimeUnit.SECONDS));
    long start = System.nanoTime();
    d.requestStop();
    t.join(10_000);
    assertFalse(t.isAlive());
    assertTrue(abortedWhileRunning.get());
    assertTrue(System.nanoTime() - start < 5_000_000_000L);
  }
}

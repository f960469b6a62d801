package io.feishuipsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.state.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a run throws, it leaves its record in status.json; only an OutOfMemoryError is left to the JVM. */
class SyncerUnexpectedTest {

  @TempDir
  Path dir;

  SyncResult runThrowing(Throwable t) {
    StateStore store = new StateStore(dir);
    AddressSource source = () -> {
      if (t instanceof Error e) {
        throw e;
      }
      throw (RuntimeException) t;
    };
    return new Syncer(source, store, List.of(new FakeWriter("a")), GuardSettings.DEFAULTS, Clock.systemUTC())
        .runOnce(new Syncer.Options(false, false));
  }

  @Test
  void anErrorOtherThanOutOfMemoryIsRecordedAsAFailedRun() throws Exception {
    SyncResult r = runThrowing(new StackOverflowError("deep\nrecursion"));
    assertEquals(SyncResult.Outcome.ERROR, r.outcome());
    assertTrue(r.message().contains("StackOverflowError: deep\\nrecursion"), r.message());
    Status status = new StateStore(dir).loadStatus().orElseThrow();
    assertEquals(SyncResult.Outcome.ERROR, status.lastAttempt().outcome());
    assertEquals(1, status.consecutiveFailures());
  }

  @Test
  void aRuntimeExceptionIsRecordedToo() {
    assertEquals(SyncResult.Outcome.ERROR, runThrowing(new IllegalStateException("bug")).outcome());
    assertTrue(new StateStore(dir).loadStatus().isPresent());
  }

  @Test
  void outOfMemoryIsLeftToTheJvm() {
    assertThrows(OutOfMemoryError.class, () -> runThrowing(new OutOfMemoryError("heap")));
  }
}

package io.feishuipsync.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.fuzz.Lines;

/**
 * The state directory's files, fuzzed: whatever bytes the snapshot or the status file holds (the database keeps the
 * same JSON), reading them gives a checked value or one clean problem line, never an exception; text read back from
 * a status file is shown through the sanitizer.
 */
class StateFilesFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void anySnapshotBytesAreASnapshotOrOneClearProblem(byte[] bytes) {
    StateStore.Loaded loaded = StateStore.parseSnapshot(bytes, "/var/lib/feishu-ipsync/snapshot.json");
    if (loaded.snapshot().isPresent()) {
      for (IpRange r : loaded.snapshot().get().entries()) {
        assertTrue(r.equals(IpRange.parse(r.toString())));
      }
    } else {
      Lines.oneClearLine(loaded.problem());
    }
  }

  @FuzzTest(maxDuration = "10s")
  void anyStatusBytesAreAStatusOrNothing(byte[] bytes) {
    StatusFile.read(bytes).ifPresent(s -> {
      if (s.lastAttempt() != null && s.lastAttempt().message() != null) {
        Lines.oneClearLine(s.lastAttempt().message() + ".");
      }
      s.writers().forEach((name, w) -> {
        Lines.oneClearLine(name + ".");
        if (w.error() != null) {
          Lines.oneClearLine(w.error() + ".");
        }
        w.drift().forEach(d -> Lines.oneClearLine(d + "."));
      });
    });
  }
}

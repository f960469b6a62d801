package io.feishuipsync.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.fuzz.Lines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;

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

  static Path historyDir;

  @BeforeAll
  static void historyDir() throws IOException {
    historyDir = Files.createTempDirectory("history-fuzz");
  }

  /**
   * Whatever a history file holds (a torn line, a line that is not JSON, a huge one), appending a change keeps every
   * byte that was there and ends the file with the change's own line: the history is only ever appended to.
   */
  @FuzzTest(maxDuration = "10s")
  void anyHistoryBytesAreKeptAndTheChangeAppended(byte[] bytes) throws IOException {
    Path file = historyDir.resolve("history.jsonl");
    Files.write(file, bytes);
    StateStore store = new StateStore(historyDir);
    store.appendHistory(Instant.parse("2026-12-05T00:00:00Z"), ChangeSet.between(
        Set.of(), Set.of(IpRange.parse("198.51.100.7"))), 1, "feishu", Map.of());
    byte[] after = Files.readAllBytes(file);
    assertTrue(after.length >= bytes.length && Arrays.equals(bytes, 0, bytes.length, after, 0,
        bytes.length), "what was there is kept");
    String tail = new String(after, bytes.length, after.length - bytes.length, StandardCharsets.UTF_8);
    assertTrue(tail.isEmpty() || tail.endsWith("{\"time\":\"2026-12-05T00:00:00Z\",\"total\":1,\"added\":"
        + "[\"198.51.100.7/32\"],\"removed\":[],\"source\":\"feishu\"}\n"), tail);
  }
}

package io.feishuipsync.state;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ChangeSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

  @TempDir
  Path dir;

  private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void snapshotRoundTripsAndIsPrivate() throws IOException {
    StateStore store = new StateStore(dir.resolve("state"));
    store.saveSnapshot(new Snapshot(ips("192.0.2.1", "2001:db8::/32"), T, "https://open.feishu.cn"));
    StateStore.Loaded loaded = store.loadSnapshot();
    assertEquals(ips("192.0.2.1", "2001:db8::/32"), loaded.entries());
    assertEquals(T, loaded.snapshot().orElseThrow().fetchedAt());
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("state/snapshot.json"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state"))));
  }

  @Test
  void missingSnapshotIsUnknownNotFatal() {
    StateStore.Loaded loaded = new StateStore(dir).loadSnapshot();
    assertTrue(loaded.snapshot().isEmpty());
    assertTrue(loaded.problem().contains("no snapshot yet"), loaded.problem());
  }

  @Test
  void corruptTruncatedAndForeignSnapshotsAreUnknownNotFatal() throws IOException {
    StateStore store = new StateStore(dir);
    store.saveSnapshot(new Snapshot(ips("192.0.2.1", "192.0.2.2"), T, "x"));
    String good = Files.readString(dir.resolve("snapshot.json"));
    for (String bad : List.of(good.substring(0, good.length() / 2), "", "\0\0\0", "{\"hello\": 1}", "[1,2]",
        good.replace("192.0.2.2/32", "not-an-ip"), good.replace("\"count\" : 2", "\"count\" : 3"))) {
      Files.writeString(dir.resolve("snapshot.json"), bad);
      StateStore.Loaded loaded = store.loadSnapshot();
      assertTrue(loaded.snapshot().isEmpty(), "accepted: " + bad);
      assertTrue(loaded.problem().contains("snapshot.json"), loaded.problem());
    }
  }

  @Test
  void failureBetweenTempWriteAndRenameLeavesOldSnapshot() throws IOException {
    StateStore store = new StateStore(dir);
    store.saveSnapshot(new Snapshot(ips("192.0.2.1"), T, "x"));
    byte[] before = Files.readAllBytes(dir.resolve("snapshot.json"));

    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("snapshot.json"),
        "{\"partial\":".getBytes(StandardCharsets.UTF_8), 0600, (from, to) -> {
          assertTrue(Files.exists(from), "temporary file is written before the rename");
          throw new IOException("simulated crash before rename");
        }));
    assertEquals("simulated crash before rename", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("snapshot.json")));
    assertEquals(ips("192.0.2.1"), store.loadSnapshot().entries());
    try (var files = Files.list(dir)) {
      assertEquals(List.of("snapshot.json"), files.map(p -> p.getFileName().toString()).toList(),
          "the temporary file is removed");
    }
  }

  @Test
  void leftoverTempFileFromACrashIsIgnoredThenRemoved() throws IOException {
    StateStore store = new StateStore(dir);
    store.saveSnapshot(new Snapshot(ips("192.0.2.1"), T, "x"));
    Files.writeString(dir.resolve(".snapshot.json.tmp-999999999"), "{\"trunc");
    Path live = dir.resolve(".snapshot.json.tmp-" + ProcessHandle.current().parent().orElseThrow().pid());
    Files.writeString(live, "{\"being written");
    assertEquals(ips("192.0.2.1"), store.loadSnapshot().entries());

    store.saveSnapshot(new Snapshot(ips("192.0.2.2"), T, "x"));
    assertFalse(Files.exists(dir.resolve(".snapshot.json.tmp-999999999")), "a dead process's leftover is removed");
    assertTrue(Files.exists(live), "a live process's temporary file is left to it");
  }

  @Test
  void historyAppendsOneLinePerChange() throws IOException {
    StateStore store = new StateStore(dir);
    store.appendHistory(T, new ChangeSet(ips("192.0.2.1"), ips()), 1, "x");
    store.appendHistory(T.plusSeconds(60), new ChangeSet(ips("192.0.2.2"), ips("192.0.2.1")), 1, "x");
    List<String> lines = Files.readAllLines(dir.resolve("history.jsonl"));
    assertEquals(2, lines.size());
    assertTrue(lines.get(1).contains("\"added\":[\"192.0.2.2/32\"]"), lines.get(1));
    assertTrue(lines.get(1).contains("\"removed\":[\"192.0.2.1/32\"]"), lines.get(1));
    assertTrue(lines.get(1).contains("\"total\":1"), lines.get(1));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("history.jsonl"))));
  }

  @Test
  void changeRepeatedAfterACrashIsRecordedOnceAndATornLineStaysApart() throws IOException {
    StateStore store = new StateStore(dir);
    ChangeSet change = new ChangeSet(ips("192.0.2.1", "2001:db8::1"), ips());
    store.appendHistory(T, change, 2, "x");
    // Killed before the snapshot advanced: the next run records the same change again.
    store.appendHistory(T.plusSeconds(60), change, 2, "x");
    assertEquals(1, Files.readAllLines(dir.resolve("history.jsonl")).size());

    Files.writeString(dir.resolve("history.jsonl"), "{\"time\":\"2026-", StandardOpenOption.APPEND);
    store.appendHistory(T.plusSeconds(120), new ChangeSet(ips(), ips("192.0.2.1")), 1, "x");
    List<String> lines = Files.readAllLines(dir.resolve("history.jsonl"));
    assertEquals(3, lines.size(), lines.toString());
    assertEquals("{\"time\":\"2026-", lines.get(1));
    assertTrue(lines.get(2).contains("\"removed\":[\"192.0.2.1/32\"]"), lines.get(2));
  }

  @Test
  void secondLockOnTheSameStateDirIsRefused() throws Exception {
    StateStore store = new StateStore(dir);
    try (StateLock first = StateLock.acquire(store)) {
      StateLock.HeldException e = assertThrows(StateLock.HeldException.class, () -> StateLock.acquire(store));
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
      assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }
    try (StateLock again = StateLock.acquire(store)) {
      assertFalse(Files.readString(dir.resolve("lock")).isBlank());
    }
  }
}

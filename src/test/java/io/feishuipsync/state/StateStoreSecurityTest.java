package io.feishuipsync.state;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.feishuipsync.core.ChangeSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory's files are opened without following links a writer of the directory may have planted. */
class StateStoreSecurityTest {

  static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

  @TempDir
  Path dir;

  Path state;
  Path victim;
  StateStore store;

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createDirectory(dir.resolve("state"));
    victim = Files.writeString(Files.createDirectory(dir.resolve("etc")).resolve("shadow"), "root:secret\n");
    store = new StateStore(state);
  }

  @Test
  void historyThroughALinkIsRefused() throws IOException {
    Files.createSymbolicLink(state.resolve("history.jsonl"), victim);
    IOException e = assertThrows(IOException.class,
        () -> store.appendHistory(T, new ChangeSet(ips("192.0.2.1"), ips()), 1, "x"));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertEquals("root:secret\n", Files.readString(victim));
  }

  @Test
  void historyWithASecondHardLinkIsRefused() throws IOException {
    Files.createLink(state.resolve("history.jsonl"), victim);
    IOException e = assertThrows(IOException.class,
        () -> store.appendHistory(T, new ChangeSet(ips("192.0.2.1"), ips()), 1, "x"));
    assertTrue(e.getMessage().contains("hard links"), e.getMessage());
    assertEquals("root:secret\n", Files.readString(victim));
  }

  @Test
  void aLockThatIsALinkIsRefusedAndItsTargetNotTruncated() throws IOException {
    Files.createSymbolicLink(state.resolve("lock"), victim);
    IOException e = assertThrows(IOException.class, () -> StateLock.acquire(store));
    assertEquals(state.resolve("lock") + ": is a symbolic link; not followed", e.getMessage());
    assertEquals("root:secret\n", Files.readString(victim));
  }

  @Test
  void snapshotAndStatusAreNotReadThroughALink() throws IOException {
    Path elsewhere = dir.resolve("elsewhere");
    Files.createDirectory(elsewhere);
    new StateStore(elsewhere).saveSnapshot(new Snapshot(ips("192.0.2.1"), T, "x"));
    Files.createSymbolicLink(state.resolve("snapshot.json"), elsewhere.resolve("snapshot.json"));
    StateStore.Loaded loaded = store.loadSnapshot();
    assertTrue(loaded.snapshot().isEmpty());
    assertTrue(loaded.problem().contains("symbolic link"), loaded.problem());

    Files.writeString(victim, "{\"consecutive_failures\":7}");
    Files.createSymbolicLink(state.resolve("status.json"), victim);
    assertTrue(store.loadStatus().isEmpty());
  }

  @Test
  void aStateDirectoryOthersMayWriteIsRefusedWithOwnerAndMode() throws IOException {
    Files.setAttribute(state, "unix:mode", 0777);
    IOException e = assertThrows(IOException.class, () -> store.saveSnapshot(new Snapshot(ips("192.0.2.1"), T, "x")));
    String owner = Files.getOwner(state).getName();
    assertEquals("directory " + state + " (owner " + owner + ", mode 0777) is writable by every account; another"
        + " account could replace the state files or redirect them", e.getMessage());
    assertFalse(Files.exists(state.resolve("snapshot.json")));
    assertThrows(IOException.class, () -> StateLock.acquire(store));
  }
}

package io.feishuipsync.state;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.LastGood;
import io.feishuipsync.core.PendingRemoval;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot's per-source lists and pending removals survive a save and a load; older snapshots still load. */
class SnapshotSourcesTest {

  static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

  @TempDir
  Path dir;

  @Test
  void sourcesAndPendingRemovalsRoundTripInOrder() throws Exception {
    StateStore store = new StateStore(dir);
    Map<String, LastGood> sources = new LinkedHashMap<>();
    sources.put("lark", new LastGood(ips("203.0.113.1"), T.minusSeconds(3600), "https://open.larksuite.com"));
    sources.put("feishu", new LastGood(ips("198.51.100.1"), T, "https://open.feishu.cn"));
    List<PendingRemoval> pending = List.of(new PendingRemoval(ips("198.51.100.9").first(), T.minusSeconds(60), 2));
    Snapshot s = new Snapshot(ips("198.51.100.1", "198.51.100.9", "203.0.113.1", "10.0.0.1"), T, "x", sources,
        pending);
    store.saveSnapshot(s);
    Snapshot back = store.loadSnapshot().snapshot().orElseThrow();
    assertEquals(s, back);
    assertEquals(List.of("lark", "feishu"), List.copyOf(back.sources().keySet()));
  }

  @Test
  void aSnapshotWrittenBeforeTheseFieldsLoadsWithNone() throws Exception {
    Files.writeString(dir.resolve("snapshot.json"), "{\"version\":1,\"fetched_at\":\"2026-11-24T10:00:00Z\","
        + "\"source\":\"https://open.feishu.cn\",\"count\":1,\"entries\":[\"198.51.100.1/32\"]}");
    Snapshot s = new StateStore(dir).loadSnapshot().snapshot().orElseThrow();
    assertEquals(ips("198.51.100.1"), s.entries());
    assertEquals(Map.of(), s.sources());
    assertEquals(List.of(), s.pending());
  }

  @Test
  void aMalformedPendingRemovalMakesTheSnapshotUnusableNotHalfTrusted() throws Exception {
    Files.writeString(dir.resolve("snapshot.json"), "{\"version\":1,\"fetched_at\":\"2026-11-24T10:00:00Z\","
        + "\"source\":\"x\",\"count\":1,\"entries\":[\"198.51.100.1/32\"],"
        + "\"pending\":[{\"address\":\"0.0.0.0/0\",\"missing_since\":\"2026-11-24T10:00:00Z\",\"misses\":1}]}");
    StateStore.Loaded loaded = new StateStore(dir).loadSnapshot();
    assertTrue(loaded.snapshot().isEmpty());
    assertTrue(loaded.problem().contains("is corrupt"), loaded.problem());
    Files.writeString(dir.resolve("snapshot.json"), "{\"version\":1,\"fetched_at\":\"2026-11-24T10:00:00Z\","
        + "\"source\":\"x\",\"count\":1,\"entries\":[\"198.51.100.1/32\"],"
        + "\"sources\":{\"config\":{\"count\":0,\"entries\":[],\"fetched_at\":\"2026-11-24T10:00:00Z\"}}}");
    assertTrue(new StateStore(dir).loadSnapshot().snapshot().isEmpty(), "config is no source of Feishu's");
  }
}

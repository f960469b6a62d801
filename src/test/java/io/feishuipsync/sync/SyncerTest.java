package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.core.Addresses.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncerTest {

  @TempDir
  Path dir;

  FakeSource source = new FakeSource();
  FakeWriter a = new FakeWriter("a");
  FakeWriter b = new FakeWriter("b");
  StateStore store;
  Syncer syncer;

  static final Syncer.Options NORMAL = new Syncer.Options(false, false);

  @BeforeEach
  void setUp() {
    store = new StateStore(dir);
    syncer = new Syncer(source, store, List.of(a, b), GuardSettings.DEFAULTS,
        Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void firstRunAppliesToEveryWriterAndRecordsSnapshotAndHistory() throws IOException {
    source.list = ips("192.0.2.1", "2001:db8::1");
    SyncResult r = syncer.runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    assertTrue(r.applied());
    assertEquals(source.list, a.held);
    assertEquals(source.list, b.held);
    assertEquals(source.list, store.loadSnapshot().entries());
    assertEquals(1, Files.readAllLines(dir.resolve("history.jsonl")).size());
    assertEquals(2, r.added().size());
  }

  @Test
  void unchangedListChangesNothingAndAddsNoHistory() throws IOException {
    source.list = ips("192.0.2.1");
    syncer.runOnce(NORMAL);
    SyncResult r = syncer.runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome());
    assertEquals(1, a.applies);
    assertEquals(WriterResult.Outcome.UNCHANGED, r.writers().get(0).outcome());
    assertEquals(1, Files.readAllLines(dir.resolve("history.jsonl")).size());
  }

  @Test
  void driftIsRepairedEvenWhenEntriesMatch() {
    source.list = ips("192.0.2.1");
    syncer.runOnce(NORMAL);
    a.drift.add("jump rule missing");
    SyncResult r = syncer.runOnce(NORMAL);
    assertEquals(WriterResult.Outcome.CHANGED, r.writers().get(0).outcome());
    assertEquals(List.of("jump rule missing"), r.writers().get(0).drift());
    assertEquals(2, a.applies);
    assertTrue(a.drift.isEmpty());
  }

  @Test
  void writerChangedBySomeoneElseIsRepaired() {
    source.list = ips("192.0.2.1", "192.0.2.2");
    syncer.runOnce(NORMAL);
    a.held.clear();
    a.held.add(IpRange.parse("203.0.113.66"));
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        Syncer.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    SyncResult r;
    try {
      r = syncer.runOnce(NORMAL);
    } finally {
      logger.detachAppender(seen);
    }
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome());
    assertEquals(source.list, a.held);
    assertEquals(WriterResult.Outcome.UNCHANGED, r.writers().get(1).outcome());
    assertTrue(seen.list.stream().anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
        && e.getFormattedMessage().contains("holds 1 entries the last sync did not write and lacks 2 it did")),
        seen.list.toString());
  }

  @Test
  void sourceFailureChangesNothing() throws IOException {
    source.list = ips("192.0.2.1");
    syncer.runOnce(NORMAL);
    byte[] snapshot = Files.readAllBytes(dir.resolve("snapshot.json"));
    source.failure = new SourceException("unreachable", null);
    SyncResult r = syncer.runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SOURCE_FAILED, r.outcome());
    assertEquals(3, r.outcome().exitCode());
    assertEquals(1, a.applies);
    assertEquals(new String(snapshot), Files.readString(dir.resolve("snapshot.json")));
  }

  @Test
  void emptyListIsRefusedAndNothingChanges() {
    source.list = ips("192.0.2.1");
    syncer.runOnce(NORMAL);
    source.list = ips();
    SyncResult r = syncer.runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.REFUSED, r.outcome());
    assertEquals(4, r.outcome().exitCode());
    assertFalse(r.applied());
    assertEquals(ips("192.0.2.1"), a.held);
    assertEquals(ips("192.0.2.1"), store.loadSnapshot().entries());
  }

  @Test
  void shrinkBeyondLimitIsRefusedAndNothingChangedUnlessForced() {
    source.list = range(1, 10);
    syncer.runOnce(NORMAL);
    source.list = range(1, 2);
    SyncResult refused = syncer.runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.REFUSED, refused.outcome());
    assertEquals(range(1, 10), a.held);
    assertEquals(range(1, 10), store.loadSnapshot().entries());

    SyncResult forced = syncer.runOnce(new Syncer.Options(false, true));
    assertEquals(SyncResult.Outcome.SUCCESS, forced.outcome());
    assertEquals(range(1, 2), a.held);
    assertEquals(8, forced.removed().size());
  }

  @Test
  void unusableSnapshotFallsBackToWhatWritersHoldForTheGuard() throws IOException {
    source.list = range(1, 10);
    syncer.runOnce(NORMAL);
    Files.writeString(dir.resolve("snapshot.json"), "garbage");
    source.list = range(1, 2);
    SyncResult r = syncer.runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.REFUSED, r.outcome(), r.message());
    assertEquals(range(1, 10), a.held);
  }

  @Test
  void corruptSnapshotIsReplacedAfterSuccessfulApply() throws IOException {
    Files.writeString(dir.resolve("snapshot.json"), "{\"version\":");
    source.list = ips("192.0.2.1");
    assertEquals(SyncResult.Outcome.SUCCESS, syncer.runOnce(NORMAL).outcome());
    assertEquals(ips("192.0.2.1"), store.loadSnapshot().entries());
  }

  @Test
  void failingCheckAppliesNothingAnywhere() {
    source.list = ips("192.0.2.1");
    b.failCheck = "nft not found";
    SyncResult r = syncer.runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.WRITER_FAILED, r.outcome());
    assertEquals(5, r.outcome().exitCode());
    assertTrue(a.held.isEmpty(), "no writer applies when one cannot run");
    assertTrue(r.message().contains("nft not found"), r.message());
    assertTrue(store.loadSnapshot().snapshot().isEmpty());
  }

  @Test
  void failingApplyKeepsSnapshotAndNextRunRepairs() {
    source.list = ips("192.0.2.1");
    syncer.runOnce(NORMAL);
    source.list = ips("192.0.2.1", "192.0.2.2");
    b.failApply = "throttled";
    SyncResult r = syncer.runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.WRITER_FAILED, r.outcome());
    assertEquals(source.list, a.held, "the healthy writer is applied");
    assertEquals(ips("192.0.2.1"), b.held);
    assertEquals(ips("192.0.2.1"), store.loadSnapshot().entries(), "snapshot not advanced");

    b.failApply = null;
    SyncResult next = syncer.runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SUCCESS, next.outcome());
    assertEquals(source.list, b.held);
    assertEquals(WriterResult.Outcome.UNCHANGED, next.writers().get(0).outcome());
    assertEquals(source.list, store.loadSnapshot().entries());
  }

  @Test
  void dryRunAppliesAndRecordsNothing() {
    source.list = ips("192.0.2.1");
    SyncResult r = syncer.runOnce(new Syncer.Options(true, false));
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome());
    assertFalse(r.applied());
    assertEquals(WriterResult.Outcome.WOULD_CHANGE, r.writers().get(0).outcome());
    assertEquals(1, r.writers().get(0).added());
    assertTrue(a.held.isEmpty());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "a dry run writes nothing to the state directory");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void statusRecordsFailuresAndKeepsLastSuccess() {
    source.list = ips("192.0.2.1");
    syncer.runOnce(NORMAL);
    source.failure = new SourceException("down", null);
    syncer.runOnce(NORMAL);
    syncer.runOnce(NORMAL);
    var status = store.loadStatus().orElseThrow();
    assertEquals(2, status.consecutiveFailures());
    assertEquals(SyncResult.Outcome.SOURCE_FAILED, status.lastAttempt().outcome());
    assertEquals(1, status.lastSuccess().total());
    assertEquals(WriterResult.Outcome.UNCHANGED, status.writers().get("a").outcome(),
        "a failed fetch puts the last applied list back: the writer already held it");
  }
}

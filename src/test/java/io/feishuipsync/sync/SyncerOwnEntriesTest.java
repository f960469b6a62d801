package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.core.Addresses.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's own entries, removal grace and several sources through a whole sync, with real state files. */
class SyncerOwnEntriesTest {

  @TempDir
  Path dir;

  FakeSource feishu = new FakeSource();
  FakeSource lark = new FakeSource();
  FakeWriter a = new FakeWriter("a");
  FakeWriter b = new FakeWriter("b");
  MutableClock clock = new MutableClock();
  static final Syncer.Options NORMAL = new Syncer.Options(false, false);

  Syncer syncer(SortedSet<IpRange> own, RemovalSettings removal, SortedSet<IpRange> ownOfB, FakeSource... sources) {
    List<Senders.Sender> named = new java.util.ArrayList<>();
    for (FakeSource s : sources) {
      named.add(new Senders.Sender(s == feishu ? "feishu" : "lark", s));
    }
    return new Syncer(new Senders(named, own, removal), new StateStore(dir),
        List.of(a, ownOfB.isEmpty() ? b : new OwnEntries(b, ownOfB)), GuardSettings.DEFAULTS, clock);
  }

  @Test
  void ownEntriesAreHeldBesideTheListAndPerWriterEntriesOnlyByTheirWriter() {
    feishu.list = range(1, 4);
    SyncResult r = syncer(ips("10.0.0.0/24"), RemovalSettings.IMMEDIATE, ips("10.9.0.1"), feishu).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    SortedSet<IpRange> both = new TreeSet<>(range(1, 4));
    both.add(IpRange.parse("10.0.0.0/24"));
    assertEquals(both, a.held);
    both.add(IpRange.parse("10.9.0.1"));
    assertEquals(both, b.held);
  }

  @Test
  void whenTheFetchFailsOwnEntriesAreStillAppliedWithTheLastGoodList() {
    feishu.list = range(1, 4);
    assertEquals(SyncResult.Outcome.SUCCESS, syncer(ips(), RemovalSettings.IMMEDIATE, ips(), feishu)
        .runOnce(NORMAL).outcome());
    feishu.failure = new SourceException("Feishu answered HTTP 503", null);
    SyncResult r = syncer(ips("10.0.0.1"), RemovalSettings.IMMEDIATE, ips(), feishu).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SOURCE_FAILED, r.outcome());
    assertTrue(a.held.containsAll(range(1, 4)) && a.held.contains(IpRange.parse("10.0.0.1")), a.held.toString());
    assertFalse(r.applied(), "not a success: the fetch failed");
  }

  @Test
  void aWriterThatCannotRunWhileTheFetchFailsNamesBothFailures() {
    feishu.list = range(1, 4);
    syncer(ips(), RemovalSettings.IMMEDIATE, ips(), feishu).runOnce(NORMAL);
    feishu.failure = new SourceException("Feishu answered HTTP 503", null);
    b.failCheck = "nft is not available";
    SyncResult r = syncer(ips("10.0.0.1"), RemovalSettings.IMMEDIATE, ips(), feishu).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.WRITER_FAILED, r.outcome());
    assertTrue(r.message().startsWith("fetch failed: Feishu answered HTTP 503; nothing applied, a writer cannot run"),
        r.message());
    assertEquals(range(1, 4), a.held, "nothing applied");
  }

  @Test
  void aFirstRunWhoseFetchFailsAppliesNothingNotEvenOwnEntries() {
    feishu.failure = new SourceException("Feishu answered HTTP 503", null);
    SyncResult r = syncer(ips("10.0.0.1"), RemovalSettings.IMMEDIATE, ips(), feishu).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SOURCE_FAILED, r.outcome());
    assertEquals(0, a.applies);
    assertFalse(Files.exists(dir.resolve("snapshot.json")));
  }

  @Test
  void aRemovedAddressStaysUntilItsGraceHasPassedAndARestartDoesNotResetIt() throws Exception {
    RemovalSettings grace = new RemovalSettings(2, Duration.ofHours(1));
    feishu.list = range(1, 4);
    syncer(ips(), grace, ips(), feishu).runOnce(NORMAL);
    feishu.list = range(1, 3);
    clock.advance(Duration.ofMinutes(10));
    SyncResult r = syncer(ips(), grace, ips(), feishu).runOnce(NORMAL);
    assertTrue(a.held.contains(IpRange.parse("198.51.100.4")), r.message());
    clock.advance(Duration.ofMinutes(10));
    syncer(ips(), grace, ips(), feishu).runOnce(NORMAL);
    assertTrue(a.held.contains(IpRange.parse("198.51.100.4")), "two misses, but not an hour");
    clock.advance(Duration.ofMinutes(40));
    syncer(ips(), grace, ips(), feishu).runOnce(NORMAL);
    assertTrue(a.held.contains(IpRange.parse("198.51.100.4")), "missing for 50 minutes only");
    clock.advance(Duration.ofMinutes(10));
    SyncResult gone = syncer(ips(), grace, ips(), feishu).runOnce(NORMAL);
    assertEquals(range(1, 3), a.held);
    assertEquals(ips("198.51.100.4"), gone.removed());
    List<String> history = Files.readAllLines(dir.resolve("history.jsonl"));
    assertTrue(history.get(history.size() - 1).contains("\"removed\":[\"198.51.100.4/32\"]"), history.toString());
  }

  @Test
  void pruneRemovesPendingAddressesAtOnce() {
    RemovalSettings grace = new RemovalSettings(5, Duration.ofDays(1));
    feishu.list = range(1, 4);
    syncer(ips(), grace, ips(), feishu).runOnce(NORMAL);
    feishu.list = range(1, 3);
    syncer(ips(), grace, ips(), feishu).runOnce(NORMAL);
    assertEquals(range(1, 4), a.held);
    SyncResult r = syncer(ips(), grace, ips(), feishu).runOnce(new Syncer.Options(false, false, true));
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    assertEquals(range(1, 3), a.held);
  }

  @Test
  void oneSourceFailingKeepsItsAddressesAndTheRunIsPartial() {
    feishu.list = range(1, 4);
    lark.list = range(10, 12);
    assertEquals(SyncResult.Outcome.SUCCESS, syncer(ips(), RemovalSettings.IMMEDIATE, ips(), feishu, lark)
        .runOnce(NORMAL).outcome());
    lark.failure = new SourceException("Lark answered HTTP 503", null);
    feishu.list = range(1, 5);
    SyncResult r = syncer(ips(), RemovalSettings.IMMEDIATE, ips(), feishu, lark).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.PARTIAL, r.outcome(), r.message());
    assertEquals(6, r.outcome().exitCode());
    assertTrue(r.message().contains("lark: Lark answered HTTP 503"), r.message());
    assertTrue(a.held.containsAll(range(10, 12)) && a.held.contains(IpRange.parse("198.51.100.5")));
  }
}

package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.LastGood;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.state.Snapshot;
import io.feishuipsync.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run reads back from its store passes the checks of a fresh answer: a snapshot someone edited (the file, or
 * the same text in the cluster database) can neither open the firewall wider nor keep an address for ever.
 */
class ReadBackTest {

  static final EntryPolicy LAB = new EntryPolicy(16, 32, true, List.of(IpRange.parse("192.0.2.0/24"),
      IpRange.parse("198.51.100.0/24"), IpRange.parse("203.0.113.0/24"), IpRange.parse("2001:db8::/32")),
      "validation");

  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock();
  final FakeSource feishu = new FakeSource();
  final FakeSource lark = new FakeSource();
  final FakeWriter writer = new FakeWriter("w");

  Syncer syncer(SortedSet<IpRange> own) {
    return new Syncer(new Senders(List.of(new Senders.Sender("feishu", feishu, LAB),
        new Senders.Sender("lark", lark, LAB)), own, new RemovalSettings(2, Duration.ofHours(1))), new StateStore(dir), List.of(writer),
        GuardSettings.DEFAULTS, clock);
  }

  /** A snapshot as the last run wrote it, with {@code pending} and Lark's list as given. */
  void snapshot(SortedSet<IpRange> lark, List<PendingRemoval> pending, Instant fetchedAt) throws Exception {
    Map<String, LastGood> sources = new LinkedHashMap<>();
    sources.put("feishu", new LastGood(ips("203.0.113.10"), fetchedAt, "feishu"));
    sources.put("lark", new LastGood(lark, fetchedAt, "lark"));
    SortedSet<IpRange> entries = ips("203.0.113.10");
    entries.addAll(lark);
    pending.forEach(p -> entries.add(p.address()));
    new StateStore(dir).saveSnapshot(new Snapshot(entries, fetchedAt, "feishu, lark", sources, pending));
  }

  SyncResult runWithFeishuAnsweringAndLarkDown() {
    feishu.list = ips("203.0.113.10", "203.0.113.20");
    lark.failure = new SourceException("lark: down", null);
    writer.held.addAll(ips("203.0.113.10", "198.51.100.7"));
    return syncer(ips()).runOnce(new Syncer.Options(false, false));
  }

  void assertRefusedAndUntouched(SyncResult r, String says) {
    assertEquals(SyncResult.Outcome.REFUSED, r.outcome(), r.message());
    assertTrue(r.message().startsWith("refused, nothing applied: the snapshot in " + dir + " "), r.message());
    assertTrue(r.message().contains(says), r.message());
    assertEquals(ips("203.0.113.10", "198.51.100.7"), writer.held, "nothing applied");
    assertEquals(0, writer.applies);
  }

  @Test
  void pendingRemovalsOfTheWholeIpv4SpaceDatedInTheFutureAreRefused() throws Exception {
    Instant future = Instant.parse("2099-01-01T00:00:00Z");
    snapshot(ips("198.51.100.7"), List.of(new PendingRemoval(IpRange.parse("0.0.0.0/1"), future, 1, "feishu"),
        new PendingRemoval(IpRange.parse("128.0.0.0/1"), future, 1, "feishu")), clock.instant());
    assertRefusedAndUntouched(runWithFeishuAnsweringAndLarkDown(),
        "holds the pending removal 0.0.0.0/1 missing since 2099-01-01T00:00:00Z, in the future");
  }

  @Test
  void aPendingRemovalThePolicyRefusesIsRefusedWhateverItsDate() throws Exception {
    snapshot(ips("198.51.100.7"), List.of(new PendingRemoval(IpRange.parse("0.0.0.0/1"), clock.instant(), 1,
        "feishu")), clock.instant());
    assertRefusedAndUntouched(runWithFeishuAnsweringAndLarkDown(),
        "holds the pending removal 0.0.0.0/1, which is broader than validation.min_prefix_v4 /16");
  }

  @Test
  void aFailedSourcesLastGoodListIsHeldToThePolicy() throws Exception {
    snapshot(ips("198.51.100.7", "10.0.0.0/16"), List.of(), clock.instant());
    assertRefusedAndUntouched(runWithFeishuAnsweringAndLarkDown(),
        "holds 10.0.0.0/16 in source lark's last good list, which lies in 10.0.0.0/8 (private use, RFC 1918)");
  }

  @Test
  void aSnapshotDatedInTheFutureIsRefusedAndNothingIsEnforcedFromIt() throws Exception {
    snapshot(ips("198.51.100.7"), List.of(), clock.instant().plus(Duration.ofDays(30)));
    assertRefusedAndUntouched(runWithFeishuAnsweringAndLarkDown(), ", in the future");
    assertEquals(ips(), syncer(ips()).lastApplied().all(), "the daemon enforces nothing from it");
  }

  @Test
  void aCleanSnapshotIsRebuiltFromItsPartsAndTheOwnEntriesConfiguredNow() throws Exception {
    snapshot(ips("198.51.100.7"), List.of(new PendingRemoval(IpRange.parse("203.0.113.30"), clock.instant(), 1,
        "feishu")), clock.instant());
    assertEquals(ips("203.0.113.10", "198.51.100.7", "203.0.113.30", "10.9.0.0/24"),
        syncer(ips("10.9.0.0/24")).lastApplied().all());
    SyncResult r = runWithFeishuAnsweringAndLarkDown();
    assertEquals(SyncResult.Outcome.PARTIAL, r.outcome(), r.message());
  }

  @Test
  void anOwnEntryTakenOutOfTheConfigIsNoReasonToRefuse() throws Exception {
    Map<String, LastGood> sources = Map.of("feishu", new LastGood(ips("203.0.113.10"), clock.instant(), "feishu"),
        "lark", new LastGood(ips("198.51.100.7"), clock.instant(), "lark"));
    new StateStore(dir).saveSnapshot(new Snapshot(ips("203.0.113.10", "198.51.100.7", "10.1.2.3"), clock.instant(),
        "feishu, lark", new LinkedHashMap<>(sources), List.of()));
    feishu.list = ips("203.0.113.10");
    lark.list = ips("198.51.100.7");
    SyncResult r = syncer(ips()).runOnce(new Syncer.Options(false, false));
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    assertEquals(ips("10.1.2.3"), r.removed());
  }
}

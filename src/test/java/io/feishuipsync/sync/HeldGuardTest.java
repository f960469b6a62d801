package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.LastGood;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.state.Snapshot;
import io.feishuipsync.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The address guards count what each writer will hold against what it admits now, not against what the snapshot
 * says was applied: an entry a store claims (a pending removal, a failed source's last list) that no firewall holds
 * is a new opening, counted like any other.
 */
class HeldGuardTest {

  /** At most 16 new IPv4 addresses per run, so a /24 the writer does not hold is too many. */
  static final GuardSettings GUARD = new GuardSettings(1, 0.5, 16, 65_536);

  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock();
  final FakeSource feishu = new FakeSource();
  final FakeSource lark = new FakeSource();
  final FakeWriter writer = new FakeWriter("w");

  @BeforeEach
  void feishuAnswersAndLarkIsDown() {
    feishu.list = ips("203.0.113.10", "203.0.113.20");
    lark.failure = new SourceException("lark: down", null);
  }

  SyncResult sync(SortedSet<IpRange> own, boolean force) {
    return new Syncer(new Senders(List.of(new Senders.Sender("feishu", feishu, ReadBackTest.LAB),
        new Senders.Sender("lark", lark, ReadBackTest.LAB)), own, new RemovalSettings(2, Duration.ofHours(1))), new StateStore(dir), List.of(writer),
        GUARD, clock).runOnce(new Syncer.Options(false, force));
  }

  /** The last run's record says Lark listed 198.51.100.7 and 198.51.100.0/24 is pending removal (within policy). */
  void snapshotClaimingTheSlash24() throws Exception {
    Map<String, LastGood> sources = new LinkedHashMap<>();
    sources.put("feishu", new LastGood(ips("203.0.113.10"), clock.instant(), "feishu"));
    sources.put("lark", new LastGood(ips("198.51.100.7"), clock.instant(), "lark"));
    List<PendingRemoval> pending = List.of(new PendingRemoval(IpRange.parse("198.51.100.0/24"), clock.instant(), 1,
        "lark"));
    new StateStore(dir).saveSnapshot(new Snapshot(ips("203.0.113.10", "198.51.100.0/24"), clock.instant(),
        "feishu, lark", sources, pending));
  }

  @Test
  void aPendingEntryNoWriterHoldsCountsAsNew() throws Exception {
    snapshotClaimingTheSlash24();
    writer.held.addAll(ips("203.0.113.10", "198.51.100.7"));
    SyncResult r = sync(ips(), false);
    assertEquals(SyncResult.Outcome.REFUSED, r.outcome(), r.message());
    assertEquals("refused, nothing applied: the change opens 256 IPv4 addresses that w does not admit now, more"
        + " than guard.max_added_v4_addresses 16; rerun with --force if this is expected", r.message());
    assertEquals(ips("203.0.113.10", "198.51.100.7"), writer.held, "nothing applied");
    assertEquals(0, writer.applies);
    // What status shows of the refused run (Holdings.skipped survived the mutation run unasserted): the writer,
    // read but left as it was, with what it holds.
    assertEquals(1, r.writers().size(), r.writers().toString());
    assertEquals("w", r.writers().get(0).writer());
    assertEquals(WriterResult.Outcome.SKIPPED, r.writers().get(0).outcome());
    assertEquals(2, r.writers().get(0).entries());
    assertEquals(0, r.writers().get(0).added() + r.writers().get(0).removed());
  }

  @Test
  void aWriterThatHoldsItAlreadyGainsOneAddress() throws Exception {
    snapshotClaimingTheSlash24();
    writer.held.addAll(ips("203.0.113.10", "198.51.100.0/24"));
    SyncResult r = sync(ips(), false);
    assertEquals(SyncResult.Outcome.PARTIAL, r.outcome(), r.message());
    assertEquals(ips("203.0.113.10", "203.0.113.20", "198.51.100.0/24"), writer.held);
  }

  @Test
  void forceLiftsIt() throws Exception {
    snapshotClaimingTheSlash24();
    writer.held.addAll(ips("203.0.113.10", "198.51.100.7"));
    SyncResult r = sync(ips(), true);
    assertEquals(SyncResult.Outcome.PARTIAL, r.outcome(), r.message());
    assertTrue(writer.held.contains(IpRange.parse("198.51.100.0/24")));
  }

  @Test
  void theOperatorsOwnEntriesAreNotCounted() {
    writer.held.addAll(ips("203.0.113.10"));
    SyncResult r = sync(ips("198.51.100.0/24"), false);
    assertEquals(SyncResult.Outcome.PARTIAL, r.outcome(), r.message());
    assertEquals(ips("203.0.113.10", "203.0.113.20", "198.51.100.0/24"), writer.held);
  }
}

package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers routed to some senders ({@code writers[].senders}) through whole syncs with real state files: each gets
 * its senders' lists, the operator's entries and the removals pending from its senders, nothing else.
 */
class RoutingTest {

  @TempDir
  Path dir;

  final FakeSource feishu = new FakeSource();
  final FakeSource github = new FakeSource();
  final FakeWriter bot = new FakeWriter("bot");
  final FakeWriter ci = new FakeWriter("ci");
  final FakeWriter all = new FakeWriter("all");
  final MutableClock clock = new MutableClock();
  static final Syncer.Options NORMAL = new Syncer.Options(false, false);

  Syncer syncer(RemovalSettings removal) {
    return new Syncer(new Senders(List.of(new Senders.Sender("feishu", feishu), new Senders.Sender("github", github)),
        ips("192.0.2.200"), removal), new StateStore(dir), List.of(new Routed(bot, Set.of("feishu")),
        new Routed(ci, Set.of("github")), all), GuardSettings.DEFAULTS, clock);
  }

  static SortedSet<IpRange> with(SortedSet<IpRange> a, String... more) {
    SortedSet<IpRange> out = new TreeSet<>(a);
    out.addAll(ips(more));
    return out;
  }

  @Test
  void eachWriterHoldsItsSendersAndTheOwnEntries() {
    feishu.list = ips("198.51.100.1", "198.51.100.2");
    github.list = ips("203.0.113.0/24");
    SyncResult r = syncer(RemovalSettings.IMMEDIATE).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    assertEquals(ips("198.51.100.1", "198.51.100.2", "192.0.2.200"), bot.held);
    assertEquals(ips("203.0.113.0/24", "192.0.2.200"), ci.held);
    assertEquals(ips("198.51.100.1", "198.51.100.2", "203.0.113.0/24", "192.0.2.200"), all.held);
  }

  @Test
  void anAddressCoveredByAnotherSendersWiderOneIsStillHeldByItsOwnWriter() {
    feishu.list = ips("203.0.113.7");
    github.list = ips("203.0.113.0/24");
    syncer(RemovalSettings.IMMEDIATE).runOnce(NORMAL);
    assertEquals(ips("203.0.113.7", "192.0.2.200"), bot.held, "not lost to GitHub's /24, which bot does not take");
    assertEquals(ips("203.0.113.0/24", "192.0.2.200"), all.held);
  }

  @Test
  void aFailingSenderKeepsItsWritersListAndChangesNoOtherWriter() {
    feishu.list = ips("198.51.100.1", "198.51.100.2");
    github.list = ips("203.0.113.0/24");
    syncer(RemovalSettings.IMMEDIATE).runOnce(NORMAL);
    github.failure = new SourceException("GitHub answered HTTP 503", null);
    feishu.list = ips("198.51.100.1", "198.51.100.2", "198.51.100.3");
    SyncResult r = syncer(RemovalSettings.IMMEDIATE).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.PARTIAL, r.outcome(), r.message());
    assertEquals(ips("203.0.113.0/24", "192.0.2.200"), ci.held, "its last good list");
    assertEquals(ips("198.51.100.1", "198.51.100.2", "198.51.100.3", "192.0.2.200"), bot.held);
  }

  @Test
  void aPendingRemovalStaysOnTheWritersOfItsSenderOnly() {
    feishu.list = ips("198.51.100.1", "198.51.100.2", "198.51.100.3");
    github.list = ips("203.0.113.0/24");
    RemovalSettings grace = new RemovalSettings(2, Duration.ofHours(1));
    syncer(grace).runOnce(NORMAL);
    feishu.list = ips("198.51.100.1", "198.51.100.2");
    clock.advance(Duration.ofMinutes(10));
    SyncResult r = syncer(grace).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    assertEquals(ips("198.51.100.1", "198.51.100.2", "198.51.100.3", "192.0.2.200"), bot.held, "still in grace");
    assertEquals(ips("203.0.113.0/24", "192.0.2.200"), ci.held, "never GitHub's");
  }

  @Test
  void whatTheDaemonEnforcesAtStartIsEachWritersPart() {
    feishu.list = ips("198.51.100.1");
    github.list = ips("203.0.113.0/24");
    Syncer s = syncer(RemovalSettings.IMMEDIATE);
    s.runOnce(NORMAL);
    Allowlist last = s.lastApplied();
    assertEquals(ips("198.51.100.1", "192.0.2.200"), last.of(Set.of("feishu")));
    assertEquals(ips("203.0.113.0/24", "192.0.2.200"), last.of(Set.of("github")));
    assertEquals(with(last.of(Set.of("github")), "198.51.100.1"), last.all());
  }
}

package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.EnforceSettings;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.exec.FakeFirewall;
import io.feishuipsync.state.RestoreFiles;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.writer.WriterFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enforcement between syncs, start-up without Feishu, the closed state before a first list and the boot-time copy,
 * through whole syncs against {@link FakeFirewall} (a stateful fake of nft, ipset and iptables); the packet tests of
 * the real daemon are in {@code EnforcePacketIT}.
 */
class EnforcerTest {

  @TempDir
  Path dir;

  final FakeFirewall fw = new FakeFirewall();
  final FakeSource feishu = new FakeSource();
  final MutableClock clock = new MutableClock();
  static final Syncer.Options NORMAL = new Syncer.Options(false, false);
  static final SortedSet<IpRange> LIST = ips("198.51.100.10", "192.0.2.0/24", "2001:db8::10");

  Writer nft() throws Exception {
    return WriterFixtures.writer("nftables", "ports: [443]\n", fw);
  }

  Writer ipt() throws Exception {
    return WriterFixtures.writer("iptables", "ports: [443]\n", fw);
  }

  Enforcer enforcer(List<Writer> writers, boolean closed) {
    return new Enforcer(writers, new EnforceSettings(Duration.ofSeconds(30), closed),
        new RestoreFiles(new StateStore(dir)));
  }

  Syncer syncer(List<Writer> writers, Enforcer e, SortedSet<IpRange> own) {
    return new Syncer(new Senders(List.of(new Senders.Sender("feishu", feishu)), own, RemovalSettings.IMMEDIATE),
        new StateStore(dir), writers, GuardSettings.DEFAULTS, clock, e);
  }

  /** An enforcer of {@code w} after a successful sync of {@link #LIST}. */
  Enforcer synced(Writer w) {
    Enforcer e = enforcer(List.of(w), true);
    feishu.list = LIST;
    SyncResult r = syncer(List.of(w), e, ips()).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    return e;
  }

  SortedSet<IpRange> nftHolds(FakeFirewall f) {
    TreeSet<IpRange> all = new TreeSet<>(f.nftSet("feishu_ipsync", "allow_v4"));
    all.addAll(f.nftSet("feishu_ipsync", "allow_v6"));
    return all;
  }

  void run(String... argv) throws Exception {
    assertTrue(fw.run(List.of(argv)).ok(), String.join(" ", argv));
  }

  @Test
  void aFlushADeletedTableAMissingAndAForeignElementAreEachRepairedByOneCheck() throws Exception {
    Writer w = nft();
    Enforcer e = synced(w);
    assertEquals(List.of(), e.check(), "nothing to repair right after a sync");

    run("nft", "flush", "ruleset");
    List<Enforcer.Repair> flushed = e.check();
    assertEquals(1, flushed.size());
    assertTrue(flushed.get(0).repaired());
    assertTrue(flushed.get(0).wrong().contains("table inet feishu_ipsync is missing"), flushed.toString());
    assertEquals(LIST, nftHolds(fw));
    assertEquals(3, fw.nftRules("feishu_ipsync", "filter").size());

    run("nft", "delete", "element", "inet", "feishu_ipsync", "allow_v4", "{", "198.51.100.10", "}");
    run("nft", "add", "element", "inet", "feishu_ipsync", "allow_v4", "{", "203.0.113.66", "}");
    List<Enforcer.Repair> edited = e.check();
    assertEquals(List.of("1 entry of the list missing (198.51.100.10/32)", "1 entry not on the list (203.0.113.66/32)"),
        edited.get(0).wrong());
    assertEquals(LIST, nftHolds(fw));
    assertEquals(List.of(), e.check());
  }

  @Test
  void aCheckKeepsWhatTheLastSyncAppliedNeverAnOlderList() throws Exception {
    Writer w = nft();
    Enforcer e = enforcer(List.of(w), true);
    e.seed(Allowlist.whole(ips("203.0.113.1")));
    feishu.list = LIST;
    syncer(List.of(w), e, ips()).runOnce(NORMAL);
    assertEquals(List.of(), e.check(), "the seed from an old snapshot gave way to the sync's list");
    assertEquals(LIST, nftHolds(fw));
  }

  @Test
  void aWriterThatFailedInTheSyncIsHeldToWhatItHeldBefore() throws Exception {
    Writer w = nft();
    Enforcer e = synced(w);
    feishu.list = ips("198.51.100.10");
    fw.failNext("nft", 1, "Error: Could not process rule: No buffer space available");
    SyncResult failed = syncer(List.of(w), e, ips()).runOnce(new Syncer.Options(false, true));
    assertEquals(SyncResult.Outcome.WRITER_FAILED, failed.outcome(), failed.message());
    run("nft", "flush", "ruleset");
    e.check();
    assertEquals(LIST, nftHolds(fw), "the old list, which the kernel held when the sync failed");
  }

  @Test
  void aJumpMovedBelowAnAcceptAndAFlushedChainAreRepaired() throws Exception {
    Writer w = ipt();
    Enforcer e = synced(w);
    String jump = "-A INPUT -j FEISHU-IPSYNC";

    run("iptables", "-w", "-I", "INPUT", "1", "-p", "tcp", "--dport", "443", "-j", "ACCEPT");
    List<Enforcer.Repair> moved = e.check();
    assertTrue(moved.get(0).wrong().contains("iptables INPUT: the jump to FEISHU-IPSYNC is not the first rule"),
        moved.toString());
    assertEquals(jump, fw.iptRules("iptables", "INPUT").get(0));
    assertEquals(2, fw.iptRules("iptables", "INPUT").size(), "the operator's rule stays, below the jump");

    run("iptables", "-w", "-F", "FEISHU-IPSYNC");
    run("ip6tables", "-w", "-D", "INPUT", "-j", "FEISHU-IPSYNC");
    run("ipset", "flush", "feishu-ipsync-v4");
    List<Enforcer.Repair> flushed = e.check();
    assertEquals(1, flushed.size());
    assertTrue(flushed.get(0).repaired(), flushed.toString());
    assertEquals(ips("198.51.100.10", "192.0.2.0/24"), fw.ipset("feishu-ipsync-v4"));
    assertEquals(2, fw.iptRules("iptables", "FEISHU-IPSYNC").size(), "loopback and port 443");
    assertEquals(List.of(jump), fw.iptRules("ip6tables", "INPUT"));
    assertEquals(List.of(), e.check());
  }

  @Test
  void aFailedRepairIsReportedAndTheNextCheckRepairs() throws Exception {
    Writer w = nft();
    Enforcer e = synced(w);
    run("nft", "flush", "ruleset");
    fw.failNext("nft", 1, "Error: Could not process rule: No buffer space available");
    List<Enforcer.Repair> failed = e.check();
    assertFalse(failed.get(0).repaired());
    assertTrue(failed.get(0).error().contains("No buffer space available"), failed.toString());
    assertTrue(e.check().get(0).repaired());
    assertEquals(LIST, nftHolds(fw));
  }

  @Test
  void whenFeishuDoesNotAnswerTheLastAppliedListIsPutBackWithoutOwnEntries() throws Exception {
    feishu.list = LIST;
    syncer(List.of(nft()), enforcer(List.of(), true), ips()).runOnce(NORMAL);
    run("nft", "flush", "ruleset");

    // A reboot: a new process, the kernel empty, Feishu unreachable.
    feishu.failure = new SourceException("connect timed out", null);
    Writer w = nft();
    SyncResult r = syncer(List.of(w), enforcer(List.of(w), true), ips()).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SOURCE_FAILED, r.outcome());
    assertTrue(r.message().startsWith("fetch failed: "), r.message());
    assertTrue(r.message().contains("; the last applied list is held, "), r.message());
    assertEquals(LIST, nftHolds(fw));
  }

  @Test
  void aFirstInstallWithoutFeishuClosesThePortsToAllButTheOperatorsEntriesAndKeepsThemClosed() throws Exception {
    feishu.failure = new SourceException("connect timed out", null);
    Writer w = nft();
    Writer cloud = new FakeWriter("cloud");
    Enforcer e = enforcer(List.of(w, cloud), true);
    SyncResult r = syncer(List.of(w, cloud), e, ips("10.0.0.0/24")).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SOURCE_FAILED, r.outcome());
    assertTrue(r.message().contains("no list has been applied yet: the protected ports are closed to all but"
        + " loopback and your own entries (enforce.before_first_list: closed)"), r.message());
    assertEquals(ips("10.0.0.0/24"), nftHolds(fw));
    assertEquals(3, fw.nftRules("feishu_ipsync", "filter").size());
    assertEquals(WriterResult.Outcome.SKIPPED, r.writers().get(1).outcome(), "a cloud writer is left alone");
    assertFalse(r.applied());
    assertTrue(new StateStore(dir).loadSnapshot().snapshot().isEmpty(), "no list was applied");

    run("nft", "flush", "ruleset");
    assertTrue(e.check().get(0).repaired());
    assertEquals(ips("10.0.0.0/24"), nftHolds(fw), "closed again");

    // The first list replaces the closed state.
    feishu.failure = null;
    feishu.list = LIST;
    SyncResult first = syncer(List.of(w, cloud), e, ips("10.0.0.0/24")).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SUCCESS, first.outcome(), first.message());
    SortedSet<IpRange> both = new TreeSet<>(LIST);
    both.add(IpRange.parse("10.0.0.0/24"));
    assertEquals(both, nftHolds(fw));
    assertEquals(List.of(), e.check());
  }

  @Test
  void beforeFirstListOpenAppliesNothing() throws Exception {
    feishu.failure = new SourceException("connect timed out", null);
    Writer w = nft();
    SyncResult r = syncer(List.of(w), enforcer(List.of(w), false), ips()).runOnce(NORMAL);
    assertEquals(SyncResult.Outcome.SOURCE_FAILED, r.outcome());
    assertTrue(r.message().endsWith("; no list has been applied yet, nothing applied"), r.message());
    assertFalse(fw.nftTable("feishu_ipsync"));
  }

  @Test
  void aDryRunBeforeAFirstListSaysItWouldCloseAndChangesNothing() throws Exception {
    feishu.failure = new SourceException("connect timed out", null);
    Writer w = nft();
    SyncResult r = syncer(List.of(w), enforcer(List.of(w), true), ips()).runOnce(new Syncer.Options(true, false));
    assertTrue(r.message().contains("would close the protected ports to all but loopback"), r.message());
    assertFalse(fw.nftTable("feishu_ipsync"));
    assertEquals(List.of(), restoreFiles());
  }

  @Test
  void theBootTimeCopyLoadsTheSameRulesIntoAnEmptyKernel() throws Exception {
    Writer n = nft();
    Writer i = ipt();
    Enforcer e = enforcer(List.of(n, i), true);
    feishu.list = LIST;
    syncer(List.of(n, i), e, ips()).runOnce(NORMAL);
    assertEquals(List.of("restore-00.nft", "restore-01.ipset", "restore-02.iptables", "restore-03.ip6tables"),
        restoreFiles());

    FakeFirewall booted = new FakeFirewall();
    for (io.feishuipsync.core.RestoreStep s : new RestoreFiles(new StateStore(dir)).load()) {
      assertTrue(booted.run(s.tool().argv(), s.input().getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)).ok(),
          s.tool().toString());
    }
    assertEquals(LIST, nftHolds(booted));
    assertEquals(ips("198.51.100.10", "192.0.2.0/24"), booted.ipset("feishu-ipsync-v4"));
    assertEquals(List.of("-A INPUT -j FEISHU-IPSYNC"), booted.iptRules("iptables", "INPUT"));
    assertTrue(WriterFixtures.writer("nftables", "ports: [443]\n", booted).read().inSync(LIST));
    assertTrue(WriterFixtures.writer("iptables", "ports: [443]\n", booted).read().inSync(LIST));

    // One writer less: its files go; a teardown removes the rest.
    syncer(List.of(n), enforcer(List.of(n), true), ips()).runOnce(NORMAL);
    assertEquals(List.of("restore-00.nft"), restoreFiles());
    new RestoreFiles(new StateStore(dir)).remove();
    assertEquals(List.of(), restoreFiles());
  }

  @Test
  void aBootTimeCopyThatWouldMakeNftIncludeAnotherFileIsRefused() throws Exception {
    Files.writeString(dir.resolve("restore-00.nft"), "include \"/etc/shadow\"\n");
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> new RestoreFiles(new StateStore(dir)).load());
    assertTrue(e.getMessage().contains("asks nft to include another file"), e.getMessage());
  }

  @Test
  void aWriterNoSyncHasSetIsLeftAlone() throws Exception {
    Writer w = nft();
    Enforcer e = enforcer(List.of(w), true);
    assertEquals(List.of(), e.check());
    assertNull(e.appliedTo(w));
    assertFalse(fw.nftTable("feishu_ipsync"));
  }

  List<String> restoreFiles() throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("restore-")).sorted().forEach(out::add);
    }
    return out;
  }
}

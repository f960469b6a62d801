package io.feishuipsync.writer.nftables;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static io.feishuipsync.writer.WriterFixtures.writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.FakeFirewall;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The nftables writer's plan, apply, drift and failure paths against {@link FakeFirewall}, in milliseconds;
 * {@code NftablesWriterIT} proves the same on a real kernel.
 */
class NftablesWriterTest {

  final FakeFirewall fw = new FakeFirewall();

  Writer full() throws Exception {
    return writer("nftables", "ports: [443]\n", fw);
  }

  SortedSet<IpRange> holds() {
    TreeSet<IpRange> all = new TreeSet<>(fw.nftSet("feishu_ipsync", "allow_v4"));
    all.addAll(fw.nftSet("feishu_ipsync", "allow_v6"));
    return all;
  }

  void nft(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("nft"));
    argv.addAll(List.of(args));
    assertTrue(fw.run(argv).ok(), String.join(" ", argv));
  }

  @Test
  void firstApplyCreatesTableSetsChainAndRules() throws Exception {
    Writer w = full();
    assertEquals(List.of("table inet feishu_ipsync is missing"), w.read().drift());
    SortedSet<IpRange> list = ips("198.51.100.10", "192.0.2.0/24", "2001:db8::10", "2001:db8:1::/48");
    converge(w, list);
    assertEquals(ips("198.51.100.10", "192.0.2.0/24"), fw.nftSet("feishu_ipsync", "allow_v4"));
    assertEquals(ips("2001:db8::10", "2001:db8:1::/48"), fw.nftSet("feishu_ipsync", "allow_v6"));
    List<FakeFirewall.NftRule> rules = fw.nftRules("feishu_ipsync", "filter");
    assertEquals(3, rules.size());
    assertTrue(rules.stream().allMatch(r -> r.comment().startsWith("feishu-ipsync ")), rules.toString());
    assertTrue(w.read().inSync(list), w.read().drift().toString());
  }

  @Test
  void incrementalChangesLeaveExactlyTheNewList() throws Exception {
    Writer w = full();
    converge(w, ips("198.51.100.10", "2001:db8::10"));
    SortedSet<IpRange> changed = ips("198.51.100.10", "203.0.113.0/25", "2001:db8::11");
    converge(w, changed);
    assertEquals(changed, holds());
    converge(w, ips("2001:db8::11"));
    assertEquals(ips("2001:db8::11"), holds());
    assertEquals(3, fw.nftRules("feishu_ipsync", "filter").size(), "rules are rebuilt, never duplicated");
  }

  @Test
  void flushedRulesetIsReportedAndRecreated() throws Exception {
    Writer w = full();
    SortedSet<IpRange> list = ips("198.51.100.10", "2001:db8::10");
    converge(w, list);
    nft("flush", "ruleset");
    assertTrue(w.read().drift().contains("table inet feishu_ipsync is missing"), w.read().drift().toString());
    converge(w, list);
    assertEquals(list, holds());
    assertTrue(w.read().inSync(list));
  }

  @Test
  void deletedRuleForeignRuleAndMissingMemberAreReportedAndRepaired() throws Exception {
    Writer w = full();
    SortedSet<IpRange> list = ips("198.51.100.10", "198.51.100.11", "2001:db8::10");
    converge(w, list);
    long last = fw.nftRules("feishu_ipsync", "filter").get(2).handle();
    nft("delete", "rule", "inet", "feishu_ipsync", "filter", "handle", Long.toString(last));
    nft("delete", "element", "inet", "feishu_ipsync", "allow_v4", "{ 198.51.100.11 }");
    nft("add", "rule", "inet", "feishu_ipsync", "filter", "tcp", "dport", "443", "accept");
    nft("add", "element", "inet", "feishu_ipsync", "allow_v6", "{ 2001:db8::66 }");

    Holding h = w.read();
    assertEquals(ips("198.51.100.10", "2001:db8::10", "2001:db8::66"), h.entries());
    assertEquals(List.of("chain filter holds 3 rules, 2 of them the current ones of 3"), h.drift());

    converge(w, list);
    assertEquals(list, holds());
    assertTrue(fw.nftRules("feishu_ipsync", "filter").stream().noneMatch(r -> r.text().contains("accept")),
        "the foreign rule is gone");
    assertTrue(w.read().inSync(list));
  }

  @Test
  void deletedChainAndSetAreReported() throws Exception {
    Writer w = full();
    converge(w, ips("198.51.100.10"));
    nft("flush", "chain", "inet", "feishu_ipsync", "filter");
    nft("delete", "chain", "inet", "feishu_ipsync", "filter");
    nft("delete", "set", "inet", "feishu_ipsync", "allow_v6");
    assertEquals(List.of("set allow_v6 is missing", "chain filter is missing"), w.read().drift());
    converge(w, ips("198.51.100.10"));
    assertTrue(w.read().inSync(ips("198.51.100.10")));
  }

  @Test
  void rejectedTransactionChangesNothingAndSaysSo() throws Exception {
    nft("add", "table", "inet", "ops");
    Writer w = writer("nftables", "mode: sets_only\ntable: ops\n", fw);
    converge(w, ips("198.51.100.10", "2001:db8::10"));
    // An IPv6 set of the wrong type makes the whole next transaction fail, the IPv4 part included.
    nft("delete", "set", "inet", "ops", "allow_v6");
    nft("add", "set", "inet", "ops", "allow_v6", "{ type ipv4_addr; }");
    WriterException e = assertThrows(WriterException.class,
        () -> w.apply(ips("203.0.113.5", "2001:db8::11"), ChangeSet.between(ips(), ips())));
    assertTrue(e.getMessage().startsWith("nftables:inet ops sets allow_v4,allow_v6: nft rejected the change, nothing"
        + " was changed: nft exited 1: /dev/stdin:2:"), e.getMessage());
    assertEquals(ips("198.51.100.10"), fw.nftSet("ops", "allow_v4"));
    assertEquals(ips(), fw.nftSet("ops", "allow_v6"));
  }

  @Test
  void setsOnlyNeedsTheOperatorsTableAndTouchesOnlyItsSets() throws Exception {
    Writer w = writer("nftables", "mode: sets_only\ntable: ops\n", fw);
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("table inet ops does not exist"), e.getMessage());
    assertFalse(fw.nftTable("ops"), "the check created nothing");

    nft("add", "table", "inet", "ops");
    nft("add", "chain", "inet", "ops", "in", "{ type filter hook input priority 0; }");
    nft("add", "rule", "inet", "ops", "in", "tcp", "dport", "22", "accept");
    converge(w, ips("198.51.100.10", "2001:db8::10"));
    assertEquals(ips("198.51.100.10"), fw.nftSet("ops", "allow_v4"));
    assertEquals(1, fw.nftRules("ops", "in").size());
    w.teardown();
    assertNull(fw.nftSet("ops", "allow_v4"));
    assertNull(fw.nftSet("ops", "allow_v6"));
    assertEquals(1, fw.nftRules("ops", "in").size(), "the operator's chain is untouched");
  }

  @Test
  void teardownRemovesOnlyItsOwnTable() throws Exception {
    nft("add", "table", "inet", "mine");
    nft("add", "set", "inet", "mine", "keep", "{ type ipv4_addr; }");
    nft("add", "element", "inet", "mine", "keep", "{ 192.0.2.99 }");
    Writer w = full();
    converge(w, ips("198.51.100.10"));
    w.teardown();
    assertFalse(fw.nftTable("feishu_ipsync"));
    assertEquals(ips("192.0.2.99"), fw.nftSet("mine", "keep"));
    w.teardown();
    assertFalse(fw.nftTable("feishu_ipsync"), "a second teardown finds nothing to remove and does not fail");
  }

  @Test
  void missingNftIsAClearErrorAndChangesNothing() throws Exception {
    Writer w = writer("nftables", "ports: [443]\nnft: /usr/sbin/nft-missing\n", fw);
    WriterException e = assertThrows(WriterException.class, w::check);
    assertEquals("nftables:inet feishu_ipsync: /usr/sbin/nft-missing is not available (cannot run"
        + " /usr/sbin/nft-missing: error=2, No such file or directory); install the nftables package", e.getMessage());
    assertFalse(fw.nftTable("feishu_ipsync"));
  }

  @Test
  void missingCapabilityIsNamedAndNothingChanges() throws Exception {
    Writer w = full();
    converge(w, ips("198.51.100.10"));
    fw.denyPermission();
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("CAP_NET_ADMIN"), e.getMessage());
    WriterException apply = assertThrows(WriterException.class,
        () -> w.apply(ips("198.51.100.11"), ChangeSet.between(ips(), ips())));
    assertTrue(apply.getMessage().contains("nothing was changed"), apply.getMessage());
    assertEquals(ips("198.51.100.10"), fw.nftSet("feishu_ipsync", "allow_v4"));
  }
}

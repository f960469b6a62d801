package io.feishuipsync.writer.nftables;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.FakeFirewall;
import io.feishuipsync.writer.PortRange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What the scripts NftLayout builds leave in a firewall, run through {@link FakeFirewall}'s {@code nft -f -}. */
class NftLayoutTest {

  static final NftLayout FULL = new NftLayout("feishu_ipsync", "filter", "allow_v4", "allow_v6",
      List.of(new PortRange(443, 443), new PortRange(8000, 8100)), "tcp", "input", 0);
  static final NftLayout SETS = new NftLayout("ops", null, "a4", "a6", List.of(), null, null, 0);

  final FakeFirewall fw = new FakeFirewall();

  CommandResult nftF(String script) throws Exception {
    return fw.run(List.of("nft", "-f", "-"), script.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
  }

  @Test
  void applyScriptBuildsTheTableFromNothingAndRebuildsItOverAnything() throws Exception {
    assertTrue(nftF(FULL.applyScript(ips("192.0.2.0/24", "198.51.100.7", "2001:db8::/32"))).ok());
    assertEquals(ips("192.0.2.0/24", "198.51.100.7"), fw.nftSet("feishu_ipsync", "allow_v4"));
    assertEquals(ips("2001:db8::/32"), fw.nftSet("feishu_ipsync", "allow_v6"));
    List<FakeFirewall.NftRule> rules = fw.nftRules("feishu_ipsync", "filter");
    assertEquals(FULL.rules(), rules.stream().map(FakeFirewall.NftRule::text).toList());
    assertTrue(rules.stream().allMatch(r -> r.comment().equals(FULL.comment())));

    fw.run(List.of("nft", "add", "rule", "inet", "feishu_ipsync", "filter", "tcp", "dport", "22", "accept"));
    fw.run(List.of("nft", "add", "set", "inet", "feishu_ipsync", "stray", "{ type ipv4_addr; }"));
    assertTrue(nftF(FULL.applyScript(ips("203.0.113.1"))).ok());
    assertEquals(ips("203.0.113.1"), fw.nftSet("feishu_ipsync", "allow_v4"));
    assertEquals(ips(), fw.nftSet("feishu_ipsync", "allow_v6"));
    assertEquals(3, fw.nftRules("feishu_ipsync", "filter").size());
    assertNull(fw.nftSet("feishu_ipsync", "stray"), "the rebuilt table holds only our objects");
  }

  @Test
  void largeListsAreSplitIntoLinesAndAllArrive() throws Exception {
    TreeSet<IpRange> big = new TreeSet<>();
    for (int i = 0; i < 1200; i++) {
      big.add(IpRange.parse("2001:db8::" + Integer.toHexString(i + 1)));
    }
    String script = SETS.applyScript(big);
    assertTrue(script.lines().filter(l -> l.startsWith("add element")).count() >= 3, "500 elements a line at most");
    fw.run(List.of("nft", "add", "table", "inet", "ops"));
    assertTrue(nftF(script).ok());
    assertEquals(big, fw.nftSet("ops", "a6"));
  }

  @Test
  void setsOnlyScriptsTouchOnlyTheTwoSets() throws Exception {
    fw.run(List.of("nft", "add", "table", "inet", "ops"));
    fw.run(List.of("nft", "add", "set", "inet", "ops", "mine", "{ type ipv4_addr; }"));
    fw.run(List.of("nft", "add", "element", "inet", "ops", "mine", "{ 192.0.2.99 }"));
    assertTrue(nftF(SETS.applyScript(ips("198.51.100.1", "2001:db8::1"))).ok());
    assertTrue(nftF(SETS.applyScript(ips("198.51.100.2"))).ok());
    assertEquals(ips("198.51.100.2"), fw.nftSet("ops", "a4"));
    assertEquals(ips(), fw.nftSet("ops", "a6"));
    assertTrue(nftF(SETS.teardownScript()).ok());
    assertNull(fw.nftSet("ops", "a4"));
    assertNull(fw.nftSet("ops", "a6"));
    assertEquals(ips("192.0.2.99"), fw.nftSet("ops", "mine"));
  }

  @Test
  void teardownScriptWorksWhetherOrNotTheTableExists() throws Exception {
    assertTrue(nftF(FULL.teardownScript()).ok(), "removing a missing table is not an error");
    assertTrue(nftF(FULL.applyScript(ips("198.51.100.1"))).ok());
    assertTrue(nftF(FULL.teardownScript()).ok());
    assertFalse(fw.nftTable("feishu_ipsync"));
  }

  @Test
  void theCommentChangesWithTheRules() {
    NftLayout udp = new NftLayout("feishu_ipsync", "filter", "allow_v4", "allow_v6", FULL.ports(), "udp", "input", 0);
    assertNotEquals(FULL.comment(), udp.comment(), "a config change is seen as drift");
    assertTrue(FULL.comment().startsWith(NftLayout.COMMENT_PREFIX));
  }
}

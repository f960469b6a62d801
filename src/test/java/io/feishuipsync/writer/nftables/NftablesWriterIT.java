package io.feishuipsync.writer.nftables;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static io.feishuipsync.writer.WriterFixtures.writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.testbed.PacketProbe;
import io.feishuipsync.testbed.Testbed;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The nftables writer against the real kernel, in a testbed container with its own network stack. */
class NftablesWriterIT {

  @RegisterExtension
  static final Testbed bed = Testbed.perClass();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeEach
  void cleanRuleset() {
    bed.sh("nft flush ruleset");
  }

  static Writer fullWriter() throws Exception {
    return writer("nftables", "ports: [443]\n", bed.runner());
  }

  /** The set's elements as the kernel lists them, read independently of the writer. */
  static SortedSet<IpRange> kernelSet(String table, String set) throws Exception {
    JsonNode root = JSON.readTree(bed.sh("nft -j list set inet " + table + " " + set));
    TreeSet<IpRange> out = new TreeSet<>();
    for (JsonNode item : root.path("nftables")) {
      for (JsonNode e : item.path("set").path("elem")) {
        out.add(e.isTextual() ? IpRange.parse(e.asText())
            : IpRange.parse(e.path("prefix").path("addr").asText() + "/" + e.path("prefix").path("len").asInt()));
      }
    }
    return out;
  }

  static SortedSet<IpRange> kernelHolds() throws Exception {
    TreeSet<IpRange> all = new TreeSet<>(kernelSet("feishu_ipsync", "allow_v4"));
    all.addAll(kernelSet("feishu_ipsync", "allow_v6"));
    return all;
  }

  @Test
  void applyChangeAndShrinkLeaveExactlyTheListInTheKernel() throws Exception {
    Writer w = fullWriter();
    SortedSet<IpRange> first = ips("198.51.100.10", "192.0.2.0/24", "2001:db8::10", "2001:db8:1::/48");
    converge(w, first);
    assertEquals(first, kernelHolds());

    SortedSet<IpRange> changed = ips("198.51.100.10", "203.0.113.0/25", "2001:db8::11");
    converge(w, changed);
    assertEquals(changed, kernelHolds());

    SortedSet<IpRange> shrunk = ips("2001:db8::11");
    converge(w, shrunk);
    assertEquals(shrunk, kernelHolds());
    assertTrue(w.read().inSync(shrunk), w.read().drift().toString());
  }

  @Test
  void secondRunWithTheSameListRunsNoTransaction() throws Exception {
    AtomicInteger transactions = new AtomicInteger();
    CommandRunner counting = countingTransactions(transactions);
    Writer w = writer("nftables", "ports: [443]\n", counting);
    converge(w, ips("198.51.100.10"));
    converge(w, ips("198.51.100.10"));
    assertEquals(1, transactions.get());
  }

  @Test
  void tenThousandEntriesApplyInOneTransaction() throws Exception {
    TreeSet<IpRange> big = new TreeSet<>();
    for (int i = 0; i < 768; i++) {
      big.add(IpRange.parse(new String[] {"192.0.2.", "198.51.100.", "203.0.113."}[i / 256] + (i % 256)));
    }
    for (int i = 0; big.size() < 10_000; i++) {
      big.add(IpRange.parse("2001:db8::" + Integer.toHexString(i / 65536 + 1) + ":" + Integer.toHexString(i % 65536)));
    }
    AtomicInteger transactions = new AtomicInteger();
    Writer w = writer("nftables", "ports: [443]\n", countingTransactions(transactions));
    converge(w, big);
    assertEquals(1, transactions.get(), "one nft process for the whole list");
    assertEquals(big, kernelHolds());
  }

  @Test
  void rejectedTransactionLeavesThePreviousSetIntact() throws Exception {
    bed.sh("nft add table inet ops && nft add chain inet ops in '{ type filter hook input priority 0; }'");
    Writer w = writer("nftables", "mode: sets_only\ntable: ops\n", bed.runner());
    converge(w, ips("198.51.100.10", "2001:db8::10"));
    assertEquals(ips("198.51.100.10"), kernelSet("ops", "allow_v4"));

    // Someone replaces the IPv6 set with one of the wrong type: the whole next transaction is rejected.
    bed.sh("nft delete set inet ops allow_v6 && nft add set inet ops allow_v6 '{ type ipv4_addr; }'");
    WriterException e = assertThrows(WriterException.class,
        () -> w.apply(ips("203.0.113.5", "2001:db8::11"), ChangeSet.between(ips(), ips())));
    assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
    assertEquals(ips("198.51.100.10"), kernelSet("ops", "allow_v4"), "the IPv4 set was not touched");
  }

  @Test
  void flushedRulesetIsRecreatedOnTheNextRun() throws Exception {
    Writer w = fullWriter();
    SortedSet<IpRange> list = ips("198.51.100.10", "2001:db8::10");
    converge(w, list);
    bed.sh("nft flush ruleset");
    Holding h = w.read();
    assertTrue(h.drift().stream().anyMatch(d -> d.contains("missing")), h.drift().toString());
    converge(w, list);
    assertEquals(list, kernelHolds());
    assertTrue(w.read().inSync(list));
  }

  @Test
  void deletedRuleAndDeletedMemberAreRestored() throws Exception {
    Writer w = fullWriter();
    SortedSet<IpRange> list = ips("198.51.100.10", "198.51.100.11", "2001:db8::10");
    converge(w, list);

    JsonNode rules = JSON.readTree(bed.sh("nft -j -a list chain inet feishu_ipsync filter"));
    long handle = -1;
    for (JsonNode item : rules.path("nftables")) {
      if (item.has("rule")) {
        handle = item.get("rule").path("handle").asLong();
      }
    }
    bed.sh("nft delete rule inet feishu_ipsync filter handle " + handle);
    bed.sh("nft delete element inet feishu_ipsync allow_v4 '{ 198.51.100.11 }'");
    bed.sh("nft add rule inet feishu_ipsync filter tcp dport 443 accept");
    Holding h = w.read();
    assertFalse(h.inSync(list));
    assertFalse(h.drift().isEmpty());

    converge(w, list);
    assertEquals(list, kernelHolds());
    String chain = bed.sh("nft list chain inet feishu_ipsync filter");
    assertEquals(3, chain.lines().filter(l -> l.contains("comment \"feishu-ipsync")).count(), chain);
    assertFalse(chain.contains("dport 443 accept"), "the foreign rule is gone: " + chain);
  }

  @Test
  void nothingOutsideItsTableIsTouched() throws Exception {
    bed.sh("nft add table inet mine && nft add set inet mine keep '{ type ipv4_addr; }'"
        + " && nft add element inet mine keep '{ 192.0.2.99 }'");
    converge(fullWriter(), ips("198.51.100.10"));
    converge(fullWriter(), ips("198.51.100.11"));
    fullWriter().teardown();
    assertEquals(ips("192.0.2.99"), kernelSet("mine", "keep"));
    assertFalse(bed.exec("nft", "list", "table", "inet", "feishu_ipsync").ok(), "teardown removed our table");
  }

  @Test
  void hostileEntryNeverReachesNft() {
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("1.2.3.4; flush ruleset"));
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("1.2.3.4 }"));
  }

  @Test
  void hostileNamesAreRejectedInConfig() {
    for (String yaml : new String[] {"ports: [443]\ntable: 'x; flush ruleset'\n", "ports: [443]\nchain: 'a}'\n",
        "ports: ['443; flush ruleset']\n", "ports: [443]\nset_v4: \"a\\nflush ruleset\"\n"}) {
      assertThrows(io.feishuipsync.core.ConfigException.class, () -> writer("nftables", yaml, bed.runner()), yaml);
    }
  }

  @Test
  void packetsFromListedHostsPassAndOthersAreDroppedOnIpv4AndIpv6() throws Exception {
    PacketProbe probe = PacketProbe.setUp(bed);
    Writer w = writer("nftables", "ports: [443]\n", bed.runner());
    converge(w, ips(PacketProbe.LISTED_V4, PacketProbe.LISTED_V6));
    Map<String, Boolean> seen = probe.reachability();
    assertEquals(PacketProbe.expect(true, false, true, true), seen);

    converge(w, ips("192.0.2.1", "2001:db8:ffff::1"));
    assertEquals(PacketProbe.expect(false, false, true, true), probe.reachability(),
        "after the listed address is removed it is dropped too");
  }

  @Test
  void missingNftIsAClearErrorBeforeAnyChange() throws Exception {
    Writer w = writer("nftables", "ports: [443]\nnft: /usr/sbin/nft-missing\n", bed.runner());
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("nft-missing"), e.getMessage());
    assertTrue(e.getMessage().contains("install the nftables package"), e.getMessage());
  }

  @Test
  void missingCapabilityIsAClearErrorBeforeAnyChange() throws Exception {
    CommandRunner noCap = (argv, stdin, timeout) -> {
      java.util.List<String> wrapped = new java.util.ArrayList<>(java.util.List.of("setpriv", "--inh-caps=-all",
          "--bounding-set=-all", "--"));
      wrapped.addAll(argv);
      return bed.runner().run(wrapped, stdin, timeout);
    };
    Writer w = writer("nftables", "ports: [443]\n", noCap);
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("CAP_NET_ADMIN"), e.getMessage());
  }

  static CommandRunner countingTransactions(AtomicInteger counter) {
    CommandRunner real = bed.runner();
    return (argv, stdin, timeout) -> {
      if (argv.contains("-f")) {
        counter.incrementAndGet();
      }
      return real.run(argv, stdin, timeout);
    };
  }
}

package io.feishuipsync.writer.iptables;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static io.feishuipsync.writer.WriterFixtures.writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.testbed.Held;
import io.feishuipsync.testbed.PacketProbe;
import io.feishuipsync.testbed.Testbed;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The iptables/ipset writer against the real kernel, in a testbed container with its own network stack. */
class IptablesWriterIT {

  @RegisterExtension
  static final Testbed bed = Testbed.perClass();

  @BeforeEach
  void clean() {
    bed.sh("for t in iptables ip6tables; do $t -w -F INPUT; $t -w -F FORWARD;"
        + " $t -w -F FEISHU-IPSYNC 2>/dev/null || true; $t -w -X FEISHU-IPSYNC 2>/dev/null || true; done;"
        + " ipset destroy 2>/dev/null || true");
  }

  static Writer defaultWriter() throws Exception {
    return writer("iptables", "ports: [443]\n", bed.runner());
  }

  /** Both sets' members as {@code ipset list} prints them, read independently of the writer. */
  static SortedSet<IpRange> kernelHolds() {
    TreeSet<IpRange> out = new TreeSet<>();
    for (String set : List.of("feishu-ipsync-v4", "feishu-ipsync-v6")) {
      out.addAll(Held.ipsetMembers(bed.sh("ipset list " + set)));
    }
    return out;
  }

  static long jumps(String iptables, String from) {
    return bed.sh(iptables + " -w -S " + from).lines().filter(l -> l.equals("-A " + from + " -j FEISHU-IPSYNC"))
        .count();
  }

  @Test
  void applyChangeAndShrinkLeaveExactlyTheListInTheKernel() throws Exception {
    Writer w = defaultWriter();
    SortedSet<IpRange> first = ips("198.51.100.10", "192.0.2.0/24", "2001:db8::10", "2001:db8:1::/48");
    converge(w, first);
    assertEquals(first, kernelHolds());
    assertEquals(1, jumps("iptables", "INPUT"));
    assertEquals(1, jumps("ip6tables", "INPUT"));

    SortedSet<IpRange> changed = ips("198.51.100.10", "203.0.113.0/25", "2001:db8::11");
    converge(w, changed);
    assertEquals(changed, kernelHolds());

    SortedSet<IpRange> shrunk = ips("2001:db8::11");
    converge(w, shrunk);
    assertEquals(shrunk, kernelHolds());
    assertTrue(w.read().inSync(shrunk), w.read().drift().toString());
    assertEquals(1, jumps("iptables", "INPUT"), "no duplicate jumps after several runs");
    assertFalse(bed.sh("ipset list -n").contains("-tmp"), "temporary sets are removed");
  }

  @Test
  void tenThousandEntriesApplyInOneRestorePerTool() throws Exception {
    TreeSet<IpRange> big = new TreeSet<>();
    for (int i = 0; i < 768; i++) {
      big.add(IpRange.parse(new String[] {"192.0.2.", "198.51.100.", "203.0.113."}[i / 256] + (i % 256)));
    }
    for (int i = 0; big.size() < 10_000; i++) {
      big.add(IpRange.parse("2001:db8::" + Integer.toHexString(i / 65536 + 1) + ":" + Integer.toHexString(i % 65536)));
    }
    AtomicInteger processes = new AtomicInteger();
    CommandRunner real = bed.runner();
    Writer w = writer("iptables", "ports: [443]\n", (argv, stdin, timeout) -> {
      processes.incrementAndGet();
      return real.run(argv, stdin, timeout);
    });
    w.apply(big, ChangeSet.between(ips(), big));
    assertTrue(processes.get() < 10, "a handful of processes, not one per address: " + processes.get());
    assertEquals(big, kernelHolds());
  }

  @Test
  void failedIpsetRestoreLeavesTheLiveSetIntact() throws Exception {
    Writer w = defaultWriter();
    converge(w, ips("198.51.100.10", "2001:db8::10"));
    // A temporary set of the wrong type makes the next restore fail before any swap.
    bed.sh("ipset create feishu-ipsync-v6-tmp hash:ip family inet6");
    WriterException e = assertThrows(WriterException.class,
        () -> w.apply(ips("203.0.113.5", "2001:db8::11"), ChangeSet.between(ips(), ips())));
    assertTrue(e.getMessage().contains("live sets are unchanged"), e.getMessage());
    assertEquals(ips("198.51.100.10", "2001:db8::10"), kernelHolds());
  }

  @Test
  void deletedJumpChainAndMemberAreRestored() throws Exception {
    Writer w = defaultWriter();
    SortedSet<IpRange> list = ips("198.51.100.10", "198.51.100.11", "2001:db8::10");
    converge(w, list);
    bed.sh("iptables -w -D INPUT -j FEISHU-IPSYNC");
    bed.sh("ip6tables -w -F FEISHU-IPSYNC");
    bed.sh("ipset del feishu-ipsync-v4 198.51.100.11");
    Holding h = w.read();
    assertFalse(h.inSync(list));
    assertTrue(h.drift().stream().anyMatch(d -> d.contains("has 0 jumps")), h.drift().toString());
    assertTrue(h.drift().stream().anyMatch(d -> d.startsWith("ip6tables chain")), h.drift().toString());
    assertFalse(h.entries().contains(IpRange.parse("198.51.100.11")));

    converge(w, list);
    assertEquals(list, kernelHolds());
    assertEquals(1, jumps("iptables", "INPUT"));
    assertTrue(w.read().inSync(list));
  }

  @Test
  void flushedRulesAndDestroyedSetsAreRecreated() throws Exception {
    Writer w = defaultWriter();
    SortedSet<IpRange> list = ips("198.51.100.10", "2001:db8::10");
    converge(w, list);
    bed.sh("for t in iptables ip6tables; do $t -w -F INPUT; $t -w -F FEISHU-IPSYNC; $t -w -X FEISHU-IPSYNC; done;"
        + " ipset destroy");
    converge(w, list);
    assertEquals(list, kernelHolds());
    assertTrue(w.read().inSync(list));
  }

  @Test
  void teardownRemovesOnlyWhatItCreated() throws Exception {
    bed.sh("iptables -w -A INPUT -p tcp --dport 22 -j ACCEPT && ipset create mine hash:ip");
    Writer w = defaultWriter();
    converge(w, ips("198.51.100.10", "2001:db8::10"));
    w.teardown();
    assertEquals(0, jumps("iptables", "INPUT"));
    assertFalse(bed.exec("iptables", "-w", "-S", "FEISHU-IPSYNC").ok());
    assertTrue(bed.sh("iptables -w -S INPUT").contains("--dport 22 -j ACCEPT"));
    assertEquals("mine", bed.sh("ipset list -n").strip());
  }

  @Test
  void hostileNamesAreRejectedInConfig() {
    for (String yaml : List.of("ports: [443]\nchain: 'X -j ACCEPT'\n", "ports: [443]\njump_from: OUTPUT\n",
        "ports: [443]\nchain: INPUT\n", "ports: ['443 -j ACCEPT']\n", "ports: [443]\nset_name: \"a\\nflush\"\n")) {
      assertThrows(ConfigException.class, () -> writer("iptables", yaml, bed.runner()), yaml);
    }
  }

  @Test
  void packetsFromListedHostsPassAndOthersAreDroppedOnIpv4AndIpv6() throws Exception {
    PacketProbe probe = PacketProbe.setUp(bed);
    Writer w = defaultWriter();
    converge(w, ips(PacketProbe.LISTED_V4, PacketProbe.LISTED_V6));
    assertEquals(PacketProbe.expect(true, false, true, true), probe.reachability());

    converge(w, ips("192.0.2.1", "2001:db8:ffff::1"));
    assertEquals(PacketProbe.expect(false, false, true, true), probe.reachability(),
        "after the listed address is removed it is dropped too");
  }

  @Test
  void rulesInTheOtherIptablesFlavourAreWarnedAbout() throws Exception {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
        .getLogger(IptablesWriter.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try {
      bed.sh("iptables-legacy -w -A INPUT -p tcp --dport 22 -j ACCEPT");
      defaultWriter().check();
      assertTrue(seen.list.stream().anyMatch(e -> e.getFormattedMessage().contains("other one (iptables-legacy)")),
          seen.list.toString());
    } finally {
      logger.detachAppender(seen);
      bed.sh("iptables-legacy -w -F INPUT");
    }
  }

  @Test
  void missingIptablesOrIpsetIsAClearErrorBeforeAnyChange() throws Exception {
    SortedSet<IpRange> list = ips("192.0.2.1", "2001:db8::1");
    converge(defaultWriter(), list);
    for (String program : List.of("ipset", "iptables", "ip6tables")) {
      String path = bed.sh("command -v " + program).strip();
      bed.sh("mv " + path + " " + path + ".hidden");
      try {
        WriterException e = assertThrows(WriterException.class, defaultWriter()::check);
        assertTrue(e.getMessage().contains(program + " is not available"), e.getMessage());
        assertTrue(e.getMessage().contains("install the " + (program.equals("ipset") ? "ipset" : "iptables")
            + " package"), e.getMessage());
      } finally {
        bed.sh("mv " + path + ".hidden " + path);
      }
      assertEquals(list, kernelHolds(), "nothing changed without " + program);
      assertEquals(1, jumps("iptables", "INPUT"));
    }
  }

  @Test
  void missingDockerUserChainIsAClearErrorBeforeAnyChange() throws Exception {
    Writer w = writer("iptables", "ports: [443]\njump_from: DOCKER-USER\n", bed.runner());
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("DOCKER-USER does not exist"), e.getMessage());
    assertFalse(bed.sh("ipset list -n").contains("feishu"), "nothing was created");
  }

  @Test
  void missingCapabilityIsAClearErrorBeforeAnyChange() throws Exception {
    CommandRunner noCap = (argv, stdin, timeout) -> {
      List<String> wrapped = new ArrayList<>(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-all", "--"));
      wrapped.addAll(argv);
      return bed.runner().run(wrapped, stdin, timeout);
    };
    WriterException e = assertThrows(WriterException.class, writer("iptables", "ports: [443]\n", noCap)::check);
    assertTrue(e.getMessage().contains("CAP_NET_ADMIN"), e.getMessage());
  }
}

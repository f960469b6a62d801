package io.feishuipsync.writer.iptables;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static io.feishuipsync.writer.WriterFixtures.writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.FakeFirewall;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The iptables/ipset writer's plan, apply, drift and failure paths against {@link FakeFirewall}, in milliseconds;
 * {@code IptablesWriterIT} proves the same on a real kernel.
 */
class IptablesWriterTest {

  final FakeFirewall fw = new FakeFirewall();

  Writer defaultWriter() throws Exception {
    return writer("iptables", "ports: [443]\n", fw);
  }

  SortedSet<IpRange> holds() {
    TreeSet<IpRange> all = new TreeSet<>(fw.ipset("feishu-ipsync-v4"));
    all.addAll(fw.ipset("feishu-ipsync-v6"));
    return all;
  }

  long jumps(String program, String from) {
    return fw.iptRules(program, from).stream().filter(r -> r.equals("-A " + from + " -j FEISHU-IPSYNC")).count();
  }

  void run(String... argv) throws Exception {
    assertTrue(fw.run(List.of(argv)).ok(), String.join(" ", argv));
  }

  @Test
  void firstApplyCreatesSetsChainsAndOneJumpPerFamily() throws Exception {
    Writer w = defaultWriter();
    SortedSet<IpRange> list = ips("198.51.100.10", "192.0.2.0/24", "2001:db8::10", "2001:db8:1::/48");
    converge(w, list);
    assertEquals(ips("198.51.100.10", "192.0.2.0/24"), fw.ipset("feishu-ipsync-v4"));
    assertEquals(ips("2001:db8::10", "2001:db8:1::/48"), fw.ipset("feishu-ipsync-v6"));
    assertEquals(List.of("feishu-ipsync-v4", "feishu-ipsync-v6"), fw.ipsetNames(), "no temporary set is left");
    for (String program : List.of("iptables", "ip6tables")) {
      assertEquals(1, jumps(program, "INPUT"));
      List<String> rules = fw.iptRules(program, "FEISHU-IPSYNC");
      assertEquals(2, rules.size(), rules.toString());
      assertTrue(rules.get(1).contains("--match-set feishu-ipsync-" + (program.equals("iptables") ? "v4" : "v6")),
          rules.toString());
    }
    assertTrue(w.read().inSync(list), w.read().drift().toString());
  }

  @Test
  void incrementalChangesSwapTheSetsAndNeverDuplicateTheJump() throws Exception {
    Writer w = defaultWriter();
    converge(w, ips("198.51.100.10", "2001:db8::10"));
    SortedSet<IpRange> changed = ips("198.51.100.10", "203.0.113.0/25", "2001:db8::11");
    converge(w, changed);
    assertEquals(changed, holds());
    converge(w, ips("2001:db8::11"));
    assertEquals(ips("2001:db8::11"), holds());
    assertEquals(1, jumps("iptables", "INPUT"));
    assertEquals(1, jumps("ip6tables", "INPUT"));
  }

  @Test
  void ipv4OnlyWriterLeavesIp6tablesAlone() throws Exception {
    Writer w = writer("iptables", "ports: [443]\nipv6: false\n", fw);
    converge(w, ips("198.51.100.10", "2001:db8::10"));
    assertEquals(ips("198.51.100.10"), fw.ipset("feishu-ipsync-v4"));
    assertNull(fw.ipset("feishu-ipsync-v6"));
    assertNull(fw.iptRules("ip6tables", "FEISHU-IPSYNC"));
  }

  @Test
  void deletedJumpFlushedChainAndMissingOrForeignMembersAreReportedAndRepaired() throws Exception {
    Writer w = defaultWriter();
    SortedSet<IpRange> list = ips("198.51.100.10", "198.51.100.11", "2001:db8::10");
    converge(w, list);
    run("iptables", "-w", "-D", "INPUT", "-j", "FEISHU-IPSYNC");
    run("ip6tables", "-w", "-F", "FEISHU-IPSYNC");
    run("ipset", "del", "feishu-ipsync-v4", "198.51.100.11");
    run("ipset", "add", "feishu-ipsync-v6", "2001:db8::66");
    run("iptables", "-w", "-A", "INPUT", "-j", "FEISHU-IPSYNC");
    run("iptables", "-w", "-A", "INPUT", "-j", "FEISHU-IPSYNC");

    Holding h = w.read();
    assertEquals(ips("198.51.100.10", "2001:db8::10", "2001:db8::66"), h.entries());
    assertEquals(List.of("iptables INPUT has 2 jumps to FEISHU-IPSYNC instead of 1",
        "ip6tables chain FEISHU-IPSYNC holds 0 rules, 0 of them the current ones of 2"), h.drift());

    converge(w, list);
    assertEquals(list, holds());
    assertEquals(1, jumps("iptables", "INPUT"), "duplicate jumps are removed");
    assertEquals(2, fw.iptRules("ip6tables", "FEISHU-IPSYNC").size());
    assertTrue(w.read().inSync(list));
  }

  @Test
  void deletedChainsAndDestroyedSetsAreReportedAndRecreated() throws Exception {
    Writer w = defaultWriter();
    SortedSet<IpRange> list = ips("198.51.100.10", "2001:db8::10");
    converge(w, list);
    for (String t : List.of("iptables", "ip6tables")) {
      run(t, "-w", "-F", "INPUT");
      run(t, "-w", "-F", "FEISHU-IPSYNC");
      run(t, "-w", "-X", "FEISHU-IPSYNC");
    }
    run("ipset", "destroy");
    assertEquals(List.of("ipset feishu-ipsync-v4 is missing", "iptables chain FEISHU-IPSYNC is missing",
        "iptables INPUT has 0 jumps to FEISHU-IPSYNC instead of 1", "ipset feishu-ipsync-v6 is missing",
        "ip6tables chain FEISHU-IPSYNC is missing", "ip6tables INPUT has 0 jumps to FEISHU-IPSYNC instead of 1"),
        w.read().drift());
    converge(w, list);
    assertEquals(list, holds());
    assertTrue(w.read().inSync(list));
  }

  @Test
  void failedIpsetRestoreLeavesTheLiveSetsAndRulesIntact() throws Exception {
    Writer w = defaultWriter();
    converge(w, ips("198.51.100.10", "2001:db8::10"));
    List<String> rules = fw.iptRules("iptables", "FEISHU-IPSYNC");
    // A temporary set of the wrong type makes the restore fail before any swap.
    run("ipset", "create", "feishu-ipsync-v6-tmp", "hash:ip", "family", "inet6");
    WriterException e = assertThrows(WriterException.class,
        () -> w.apply(ips("203.0.113.5", "2001:db8::11"), ChangeSet.between(ips(), ips())));
    assertEquals("iptables:INPUT->FEISHU-IPSYNC: ipset refused the new list, the live sets are unchanged: ipset"
        + " exited 1: ipset v7.17: Error in line 6: Set cannot be created: set with the same name already exists",
        e.getMessage());
    assertEquals(ips("198.51.100.10", "2001:db8::10"), holds());
    assertEquals(rules, fw.iptRules("iptables", "FEISHU-IPSYNC"));
  }

  @Test
  void failedRulesRestoreCommitsNothingAndSaysTheSetsAreNew() throws Exception {
    Writer w = defaultWriter();
    converge(w, ips("198.51.100.10"));
    run("iptables", "-w", "-F", "FEISHU-IPSYNC");
    fw.failNext("iptables-restore", 4, "Another app is currently holding the xtables lock. Perhaps you want to use"
        + " the -w option?\n");
    WriterException e = assertThrows(WriterException.class,
        () -> w.apply(ips("198.51.100.11"), ChangeSet.between(ips(), ips())));
    assertEquals("iptables:INPUT->FEISHU-IPSYNC: iptables-restore refused the rules (the sets already hold the new"
        + " list): iptables-restore exited 4: Another app is currently holding the xtables lock. Perhaps you want to"
        + " use the -w option?", e.getMessage());
    assertEquals(ips("198.51.100.11"), fw.ipset("feishu-ipsync-v4"));
    assertEquals(List.of(), fw.iptRules("iptables", "FEISHU-IPSYNC"), "the chain is as the failed commit found it");
    converge(w, ips("198.51.100.11"));
    assertTrue(w.read().inSync(ips("198.51.100.11")), "the next run repairs it");
  }

  @Test
  void teardownRemovesOnlyWhatItCreated() throws Exception {
    run("iptables", "-w", "-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT");
    run("ipset", "create", "mine", "hash:ip");
    Writer w = defaultWriter();
    converge(w, ips("198.51.100.10", "2001:db8::10"));
    w.teardown();
    assertEquals(List.of("-A INPUT -p tcp --dport 22 -j ACCEPT"), fw.iptRules("iptables", "INPUT"));
    assertNull(fw.iptRules("iptables", "FEISHU-IPSYNC"));
    assertNull(fw.iptRules("ip6tables", "FEISHU-IPSYNC"));
    assertEquals(List.of("mine"), fw.ipsetNames());
  }

  @Test
  void dockerUserWriterJumpsFromDockerUserAndNeedsDocker() throws Exception {
    Writer w = writer("iptables", "ports: [443]\njump_from: DOCKER-USER\n", fw);
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("chain DOCKER-USER does not exist in iptables; is Docker running?"),
        e.getMessage());
    assertTrue(fw.ipsetNames().isEmpty(), "nothing was created");

    fw.dockerUser();
    converge(w, ips("198.51.100.10"));
    assertEquals("-A DOCKER-USER -j FEISHU-IPSYNC", fw.iptRules("iptables", "DOCKER-USER").get(0),
        "the jump comes before Docker's own RETURN");
    assertTrue(fw.iptRules("iptables", "FEISHU-IPSYNC").get(1).contains("--ctorigdstport 443"));
  }

  @Test
  void missingProgramsAreNamedWithTheirPackageAndNothingChanges() throws Exception {
    SortedSet<IpRange> list = ips("192.0.2.1", "2001:db8::1");
    converge(defaultWriter(), list);
    for (String program : List.of("ipset", "iptables", "ip6tables")) {
      FakeFirewall without = new FakeFirewall().uninstall(program);
      WriterException e = assertThrows(WriterException.class, writer("iptables", "ports: [443]\n", without)::check);
      assertTrue(e.getMessage().contains(program + " is not available"), e.getMessage());
      assertTrue(e.getMessage().contains("install the " + (program.equals("ipset") ? "ipset" : "iptables")
          + " package"), e.getMessage());
      assertTrue(without.ipsetNames().isEmpty());
    }
  }

  @Test
  void missingCapabilityIsNamedAndNothingChanges() throws Exception {
    Writer w = defaultWriter();
    converge(w, ips("198.51.100.10"));
    fw.denyPermission();
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("Permission denied (you must be root) (the kernel refused it: changing the"
        + " firewall needs CAP_NET_ADMIN"), e.getMessage());
    assertThrows(WriterException.class, () -> w.apply(ips("198.51.100.11"), ChangeSet.between(ips(), ips())));
    assertEquals(ips("198.51.100.10"), fw.ipset("feishu-ipsync-v4"));
  }

  @Test
  void rulesInTheOtherFlavourAreWarnedAbout() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(IptablesWriter.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try {
      run("iptables-legacy", "-w", "-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT");
      defaultWriter().check();
      List<String> messages = new ArrayList<>();
      seen.list.forEach(ev -> messages.add(ev.getFormattedMessage()));
      assertTrue(messages.stream().anyMatch(m -> m.contains("1 rule(s) exist in the other one (iptables-legacy)")),
          messages.toString());
      assertFalse(fw.iptRules("iptables", "INPUT").contains("-A INPUT -p tcp --dport 22 -j ACCEPT"),
          "the flavours keep separate rules");
    } finally {
      logger.detachAppender(seen);
    }
  }
}

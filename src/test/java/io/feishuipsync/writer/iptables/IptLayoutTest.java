package io.feishuipsync.writer.iptables;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.FakeFirewall;
import io.feishuipsync.writer.PortRange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the input IptLayout builds leaves in a firewall, fed to {@link FakeFirewall}'s ipset and iptables-restore. */
class IptLayoutTest {

  static final List<IpRange.Family> BOTH = List.of(IpRange.Family.IPV4, IpRange.Family.IPV6);
  static final IptLayout INPUT = new IptLayout("FEISHU-IPSYNC", "INPUT",
      List.of(new PortRange(443, 443), new PortRange(8000, 8100)), "tcp", null, "feishu-ipsync");

  final FakeFirewall fw = new FakeFirewall();

  CommandResult feed(List<String> argv, String input) throws Exception {
    return fw.run(argv, input.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
  }

  @Test
  void ipsetScriptFillsTheLiveSetsAndLeavesNoTemporarySet() throws Exception {
    assertTrue(feed(List.of("ipset", "restore"), INPUT.ipsetScript(ips("192.0.2.0/24", "2001:db8::1"), BOTH)).ok());
    assertTrue(feed(List.of("ipset", "restore"), INPUT.ipsetScript(ips("198.51.100.9", "2001:db8::2"), BOTH)).ok());
    assertEquals(ips("198.51.100.9"), fw.ipset("feishu-ipsync-v4"));
    assertEquals(ips("2001:db8::2"), fw.ipset("feishu-ipsync-v6"));
    assertEquals(List.of("feishu-ipsync-v4", "feishu-ipsync-v6"), fw.ipsetNames());
  }

  static final IptLayout.Jumps NONE = new IptLayout.Jumps(0, false);

  @Test
  void restoreScriptWritesTheChainAndExactlyOneJump() throws Exception {
    feed(List.of("ipset", "restore"), INPUT.ipsetScript(ips("192.0.2.1"), List.of(IpRange.Family.IPV4)));
    assertTrue(feed(List.of("iptables-restore", "-w", "--noflush"), INPUT.restoreScript(IpRange.Family.IPV4, NONE))
        .ok());
    assertEquals(INPUT.rules(IpRange.Family.IPV4), fw.iptRules("iptables", "FEISHU-IPSYNC"));
    assertEquals(List.of(INPUT.jumpRule()), fw.iptRules("iptables", "INPUT"));

    // Run again over two jumps and a foreign rule in our chain: the chain is rewritten, the extra jump removed.
    fw.run(List.of("iptables", "-w", "-A", "INPUT", "-j", "FEISHU-IPSYNC"));
    fw.run(List.of("iptables", "-w", "-A", "FEISHU-IPSYNC", "-j", "ACCEPT"));
    assertTrue(feed(List.of("iptables-restore", "-w", "--noflush"), INPUT.restoreScript(IpRange.Family.IPV4,
        new IptLayout.Jumps(2, true))).ok());
    assertEquals(INPUT.rules(IpRange.Family.IPV4), fw.iptRules("iptables", "FEISHU-IPSYNC"));
    assertEquals(List.of(INPUT.jumpRule()), fw.iptRules("iptables", "INPUT"));

    // An ACCEPT put above the jump: the jump moves back to the top, the operator's rule stays below it.
    fw.run(List.of("iptables", "-w", "-I", "INPUT", "1", "-j", "ACCEPT"));
    assertTrue(feed(List.of("iptables-restore", "-w", "--noflush"), INPUT.restoreScript(IpRange.Family.IPV4,
        new IptLayout.Jumps(1, false))).ok());
    assertEquals(List.of(INPUT.jumpRule(), "-A INPUT -j ACCEPT"), fw.iptRules("iptables", "INPUT"));
  }

  @Test
  void restoreScriptNeedsItsSetAndCommitsNothingWithoutIt() throws Exception {
    CommandResult r = feed(List.of("ip6tables-restore", "-w", "--noflush"), INPUT.restoreScript(IpRange.Family.IPV6,
        NONE));
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("Set feishu-ipsync-v6 doesn't exist."), r.stderr());
    assertEquals(null, fw.iptRules("ip6tables", "FEISHU-IPSYNC"), "the chain declared before the error is not kept");
    assertEquals(List.of(), fw.iptRules("ip6tables", "INPUT"));
  }

  @Test
  void dockerUserRulesMatchTheOriginalPortAndTheCommentFollowsTheConfig() {
    IptLayout docker = new IptLayout("FEISHU-IPSYNC", "DOCKER-USER", List.of(new PortRange(443, 443)), "tcp", null,
        "feishu-ipsync");
    assertTrue(docker.rules(IpRange.Family.IPV4).get(1).contains("--ctorigdstport 443 --ctdir ORIGINAL"));
    assertNotEquals(INPUT.comment(), docker.comment());
  }
}

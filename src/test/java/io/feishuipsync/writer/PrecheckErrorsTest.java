package io.feishuipsync.writer;

import static io.feishuipsync.writer.WriterFixtures.writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.CommandRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The nftables and iptables pre-checks quote the tool's own error (one sanitized line) and name a missing capability
 * only when the tool said the kernel refused. The stderr texts are what the real tools print (nft 1.1, iptables
 * 1.8.9/1.8.11, ipset 7), captured in the testbed and under the systemd unit.
 */
class PrecheckErrorsTest {

  /** Runs nothing: every command fails with {@code stderr} when its program is {@code failing}, else succeeds. */
  static CommandRunner failing(String program, int exit, String stderr) {
    return (argv, stdin, timeout) -> argv.get(0).equals(program)
        ? new CommandResult(argv, exit, "", stderr)
        : new CommandResult(argv, 0, argv.get(0).equals("iptables") && argv.contains("-V")
            ? "iptables v1.8.9 (legacy)\n" : "", "");
  }

  @Test
  void legacyIptablesThatCannotOpenItsLockSaysSoInsteadOfBlamingTheCapability() throws Exception {
    for (String reason : List.of("Read-only file system", "Permission denied")) {
      Writer w = writer("iptables", "ports: [443]\n",
          failing("iptables", 4, "Fatal: can't open lock file /run/xtables.lock: " + reason + "\n"));
      WriterException e = assertThrows(WriterException.class, w::check);
      assertEquals("iptables:INPUT->FEISHU-IPSYNC: cannot read chain INPUT: iptables exited 4: Fatal: can't open"
          + " lock file /run/xtables.lock: " + reason, e.getMessage());
    }
  }

  @Test
  void iptablesWithoutTheCapabilityQuotesTheToolAndNamesTheCapability() throws Exception {
    Writer w = writer("iptables", "ports: [443]\n", failing("iptables", 4, "iptables v1.8.9 (nf_tables): Could not"
        + " fetch rule set generation id: Permission denied (you must be root)\n"));
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().startsWith("iptables:INPUT->FEISHU-IPSYNC: cannot read chain INPUT: iptables exited 4:"
        + " iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be"
        + " root) (the kernel refused it: changing the firewall needs CAP_NET_ADMIN"), e.getMessage());
  }

  @Test
  void ipsetQuotesItsOwnErrorAndGuessesNothing() throws Exception {
    Writer w = writer("iptables", "ports: [443]\n", failing("ipset", 1,
        "ipset v7.17: Cannot open session to kernel.\n"));
    WriterException e = assertThrows(WriterException.class, w::check);
    assertEquals("iptables:INPUT->FEISHU-IPSYNC: ipset cannot list sets: ipset exited 1: ipset v7.17: Cannot open"
        + " session to kernel.", e.getMessage());
  }

  @Test
  void missingDockerUserChainIsNamedOnlyWhenIptablesSaysTheChainIsMissing() throws Exception {
    String yaml = "ports: [443]\njump_from: DOCKER-USER\n";
    WriterException missing = assertThrows(WriterException.class, writer("iptables", yaml,
        failing("iptables", 1, "iptables: No chain/target/match by that name.\n"))::check);
    assertTrue(missing.getMessage().contains("chain DOCKER-USER does not exist in iptables; is Docker running?"),
        missing.getMessage());
    WriterException locked = assertThrows(WriterException.class, writer("iptables", yaml,
        failing("iptables", 4, "Fatal: can't open lock file /run/xtables.lock: Permission denied\n"))::check);
    assertFalse(locked.getMessage().contains("Docker"), locked.getMessage());
    assertTrue(locked.getMessage().endsWith("Fatal: can't open lock file /run/xtables.lock: Permission denied"));
  }

  @Test
  void nftQuotesItsOwnErrorAndNamesTheCapabilityOnlyWhenRefused() throws Exception {
    WriterException refused = assertThrows(WriterException.class, writer("nftables", "ports: [443]\n",
        failing("nft", 1, "Operation not permitted (you must be root)\nnetlink: Error: cache initialization failed:"
            + " Operation not permitted\n"))::check);
    assertTrue(refused.getMessage().contains("cannot list the ruleset: nft exited 1: Operation not permitted (you"
        + " must be root) (the kernel refused it: changing the firewall needs CAP_NET_ADMIN"), refused.getMessage());
    WriterException other = assertThrows(WriterException.class, writer("nftables", "ports: [443]\n",
        failing("nft", 1, "netlink: Error: cache initialization failed: Protocol not supported\n"))::check);
    assertEquals("nftables:inet feishu_ipsync: cannot list the ruleset: nft exited 1: netlink: Error: cache"
        + " initialization failed: Protocol not supported", other.getMessage());
  }

  @Test
  void theQuotedLineIsOneLineWithControlCharactersEscapedAndCapped() {
    CommandResult r = new CommandResult(List.of("nft"), 1, "",
        "# Warning: iptables-legacy tables present\nError: \u001b[31mred\u001b[0m\tx" + "y".repeat(400) + "\nmore\n");
    String line = ToolErrors.describe(r);
    assertTrue(line.startsWith("nft exited 1: Error: \\x1b[31mred\\x1b[0m\\x09xyy"), line);
    assertEquals(1, line.lines().count());
    assertTrue(line.length() < 330 && line.endsWith("..."), line);
  }
}

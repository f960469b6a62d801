package io.feishuipsync.writer.firewalld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.writer.WriterFixtures;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The firewalld writer's settings, and what it makes of firewall-cmd's output and failures. */
class FirewalldSettingsTest {

  static Writer writer(String yaml) throws Exception {
    return WriterFixtures.writer("firewalld", yaml, (argv, stdin, timeout) -> {
      throw new java.io.IOException("cannot run " + argv.get(0) + ": No such file or directory");
    });
  }

  static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> writer(yaml)).getMessage();
  }

  @Test
  void settingsAreCheckedAndNameTheirObjects() throws Exception {
    Writer w = writer("ports: [443, \"8000-8100\"]\n");
    assertEquals("firewalld:policy feishu_ipsync", w.name());
    assertEquals(Set.of("firewalld policy feishu_ipsync", "firewalld ipset feishu_ipsync_v4",
        "firewalld ipset feishu_ipsync_v6"), w.targets());
    assertTrue(w.local(), "the enforcement loop holds it");
    assertEquals(List.of(), w.restore(new java.util.TreeSet<>()), "firewalld loads its permanent config at boot");
    assertTrue(error("protocol: tcp\n").startsWith("ports: missing"));
    assertTrue(error("ports: [443]\npriority: 5\n").startsWith("priority: 5 is outside -32768..-1"));
    assertTrue(error("ports: [443]\nipset_v4: a\nipset_v6: a\n").startsWith("ipset_v6: must differ"));
    assertTrue(error("ports: [443]\npolicy: 'x; rm'\n").startsWith("policy:"));
    assertTrue(error("ports: [443]\npolicy: a_policy_name_of_18\n").contains("longer than firewalld's 18"));
    assertTrue(error("ports: [443]\nfirewall_cmd: 'a b'\n").startsWith("firewall_cmd:"));
  }

  @Test
  void aMissingFirewallCmdIsAClearRefusal() throws Exception {
    var e = assertThrows(io.feishuipsync.core.WriterException.class, () -> writer("ports: [443]\n").check());
    assertTrue(e.getMessage().contains("firewall-cmd is not available") && e.getMessage().contains("install"
        + " firewalld"), e.getMessage());
  }

  @Test
  void theRulesAreWrittenAsFirewalldPrintsThemAndReadBackSo() {
    FirewalldLayout layout = new FirewalldLayout("p", "s4", "s6",
        io.feishuipsync.writer.PortRange.parseAll("ports", List.of("443", "8000-8100")), "tcp", -100);
    String info = "p\n  priority: -100\n  target: CONTINUE\n  ingress-zones: ANY\n  egress-zones: HOST\n"
        + "  rich rules: \n" + String.join("\n", layout.richRules().stream().map(r -> "\t" + r).toList()) + "\n";
    PolicyInfo p = PolicyInfo.parse(info);
    assertEquals(List.of(), p.differences(layout, "runtime"));
    assertEquals(8, p.richRules().size());
    assertTrue(layout.richRules().contains(
        "rule priority=\"-2\" family=\"ipv6\" source ipset=\"s6\" port port=\"8000-8100\" protocol=\"tcp\" accept"));
    PolicyInfo other = PolicyInfo.parse(info.replace("priority: -100", "priority: 0").replace("ANY", "public"));
    assertEquals(2, other.differences(layout, "permanent").size());
  }

  @Test
  void aFailureNamesTheCallAndWhatToDo() {
    FirewallCmd cmd = new FirewallCmd("firewall-cmd", (argv, stdin, t) -> new CommandResult(argv, 252, "",
        "not running"), "firewalld:policy p");
    var e = assertThrows(io.feishuipsync.core.WriterException.class, () -> cmd.must("--state"));
    assertTrue(e.getMessage().contains("firewall-cmd --state exited 252: not running: firewalld is not running"),
        e.getMessage());
  }
}

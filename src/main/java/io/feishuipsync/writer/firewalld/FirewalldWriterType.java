package io.feishuipsync.writer.firewalld;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.Names;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;
import java.util.List;

/**
 * {@code type: firewalld}: the allowlist as firewalld objects (two ipsets and a policy), for hosts whose firewall is
 * managed with {@code firewall-cmd}: RHEL, Rocky, AlmaLinux, CentOS Stream, openEuler, Anolis, Kylin.
 */
public final class FirewalldWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE = WriterType.of("firewalld", Settings.class,
      FirewalldWriterType::create);

  /**
   * Settings of a firewalld writer.
   *
   * @param ports the protected ports (required), e.g. {@code [443]} or {@code ["8000-8100"]}
   * @param protocol {@code tcp} (default) or {@code udp}
   * @param policy the policy's name (default {@code feishu_ipsync})
   * @param ipsetV4 the IPv4 ipset's name (default {@code feishu_ipsync_v4})
   * @param ipsetV6 the IPv6 ipset's name (default {@code feishu_ipsync_v6})
   * @param priority the policy's priority, -32768..-1: before every zone (default -100)
   * @param firewallCmd the program (default {@code firewall-cmd})
   * @param nft the program that reads the kernel's sets back (default {@code nft})
   */
  public record Settings(List<String> ports, String protocol, String policy, String ipsetV4, String ipsetV6,
      Integer priority, String firewallCmd, String nft) {}

  private FirewalldWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    if (s.ports() == null || s.ports().isEmpty()) {
      throw new ConfigException("ports", "missing; the ports the callbacks arrive on, e.g. [443]");
    }
    List<PortRange> ports = PortRange.parseAll("ports", s.ports());
    String policy = Names.identifier("policy", s.policy(), "feishu_ipsync");
    if (policy.length() > 18) {
      // firewalld refuses a longer policy name (its chains are named after it).
      throw new ConfigException("policy", "'" + policy + "' is longer than firewalld's 18 characters");
    }
    String v4 = Names.identifier("ipset_v4", s.ipsetV4(), "feishu_ipsync_v4");
    String v6 = Names.identifier("ipset_v6", s.ipsetV6(), "feishu_ipsync_v6");
    if (v4.equals(v6)) {
      throw new ConfigException("ipset_v6", "must differ from ipset_v4");
    }
    int priority = s.priority() == null ? -100 : s.priority();
    if (priority < -32768 || priority > -1) {
      throw new ConfigException("priority", priority + " is outside -32768..-1; a policy must come before the zones"
          + " to refuse the ports to everyone else");
    }
    FirewalldLayout layout = new FirewalldLayout(policy, v4, v6, ports, PortRange.protocol(s.protocol()), priority);
    String name = "firewalld:policy " + policy;
    return new FirewalldWriter(layout, new FirewallCmd(program("firewall_cmd", s.firewallCmd(), "firewall-cmd"),
        context.runner(), name), new KernelView(program("nft", s.nft(), "nft"), context.runner()));
  }

  private static String program(String key, String given, String fallback) {
    if (given == null) {
      return fallback;
    }
    if (!given.matches("[A-Za-z0-9_./-]+")) {
      throw new ConfigException(key, "'" + given + "' is not a program path");
    }
    return given;
  }
}

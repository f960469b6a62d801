package io.feishuipsync.writer.iptables;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.Names;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;
import java.util.List;
import java.util.Set;

/** {@code type: iptables}: ipset sets swapped atomically, a chain of its own, one jump, IPv4 and IPv6. */
public final class IptablesWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE = WriterType.of("iptables", Settings.class, IptablesWriterType::create);

  private static final Set<String> JUMP_FROM = Set.of("INPUT", "DOCKER-USER", "FORWARD");

  /**
   * Settings of the iptables writer.
   *
   * @param chain our chain (default {@code FEISHU-IPSYNC})
   * @param jumpFrom {@code INPUT} (default), {@code DOCKER-USER} (published Docker ports) or {@code FORWARD}
   * @param ports protected ports or ranges
   * @param protocol {@code tcp} (default) or {@code udp}
   * @param inInterface only filter packets arriving on this interface (optional; advised with FORWARD)
   * @param setName prefix of the ipset names (default {@code feishu-ipsync}: sets {@code feishu-ipsync-v4}, {@code -v6})
   * @param ipv6 also manage ip6tables (default true)
   */
  public record Settings(String chain, String jumpFrom, List<String> ports, String protocol, String inInterface,
      String setName, Boolean ipv6) {}

  private IptablesWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    String chain = Names.identifier("chain", s.chain(), "FEISHU-IPSYNC");
    String jumpFrom = s.jumpFrom() == null ? "INPUT" : s.jumpFrom();
    if (!JUMP_FROM.contains(jumpFrom)) {
      throw new ConfigException("jump_from", "'" + jumpFrom + "' is not one of: INPUT, DOCKER-USER, FORWARD");
    }
    if (JUMP_FROM.contains(chain) || chain.equals("OUTPUT") || chain.startsWith("DOCKER")) {
      throw new ConfigException("chain", "'" + chain + "' belongs to the system or Docker; name a chain of our own");
    }
    List<PortRange> ports = PortRange.parseAll("ports", s.ports());
    String protocol = PortRange.protocol(s.protocol());
    String iface = s.inInterface() == null ? null : Names.identifier("in_interface", s.inInterface(), null);
    String setName = Names.identifier("set_name", s.setName(), "feishu-ipsync");
    if (setName.length() > 24) {
      throw new ConfigException("set_name", "at most 24 characters (ipset names are limited to 31 with suffixes)");
    }
    IptLayout layout = new IptLayout(chain, jumpFrom, ports, protocol, iface, setName);
    return new IptablesWriter(layout, s.ipv6() == null || s.ipv6(), context.runner());
  }
}

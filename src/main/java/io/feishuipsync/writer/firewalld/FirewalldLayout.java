package io.feishuipsync.writer.firewalld;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.writer.PortRange;
import java.util.ArrayList;
import java.util.List;

/**
 * The firewalld objects of one writer: an ipset per family ({@code hash:net}) and a policy from every zone to the
 * host ({@code ANY} to {@code HOST}) at a negative priority, so that it is applied before any zone's rules; in it,
 * per family and port, a rich rule that accepts the port from the family's ipset, and after it one that drops the
 * port to everyone else. Loopback never reaches a policy.
 *
 * @param policy the policy's name
 * @param ipsetV4 the IPv4 ipset's name
 * @param ipsetV6 the IPv6 ipset's name
 * @param ports the protected ports
 * @param protocol {@code tcp} or {@code udp}
 * @param priority the policy's priority (negative: before the zones)
 */
record FirewalldLayout(String policy, String ipsetV4, String ipsetV6, List<PortRange> ports, String protocol,
    int priority) {

  FirewalldLayout {
    ports = List.copyOf(ports);
  }

  /** The ipset of {@code family}. */
  String ipset(IpRange.Family family) {
    return family == IpRange.Family.IPV4 ? ipsetV4 : ipsetV6;
  }

  /** The rich rules the policy holds, as {@code firewall-cmd --list-rich-rules} prints them. */
  List<String> richRules() {
    List<String> out = new ArrayList<>();
    for (String[] f : new String[][] {{"ipv4", ipsetV4}, {"ipv6", ipsetV6}}) {
      for (PortRange p : ports) {
        String port = "port port=\"" + (p.single() ? Integer.toString(p.from()) : p.from() + "-" + p.to())
            + "\" protocol=\"" + protocol + "\"";
        out.add("rule priority=\"-2\" family=\"" + f[0] + "\" source ipset=\"" + f[1] + "\" " + port + " accept");
        out.add("rule priority=\"-1\" family=\"" + f[0] + "\" " + port + " drop");
      }
    }
    return out;
  }
}

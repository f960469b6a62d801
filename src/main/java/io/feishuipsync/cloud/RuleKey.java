package io.feishuipsync.cloud;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.writer.PortRange;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One address rule a security group writer wants or owns: an address block, a protocol and a port range.
 *
 * @param cidr the source address block
 * @param protocol as the cloud spells it
 * @param from first port
 * @param to last port
 */
public record RuleKey(IpRange cidr, String protocol, int from, int to) {

  /** By address, then ports: the order rules are added in. */
  public static final Comparator<RuleKey> ORDER = Comparator.comparing(RuleKey::cidr)
      .thenComparingInt(RuleKey::from).thenComparingInt(RuleKey::to);

  /** The rules for every address of {@code cidrs} on every port range of {@code ports}. */
  public static Set<RuleKey> keys(Set<IpRange> cidrs, String protocol, List<PortRange> ports) {
    Set<RuleKey> out = new HashSet<>();
    for (IpRange c : cidrs) {
      for (PortRange p : ports) {
        out.add(new RuleKey(c, protocol, p.from(), p.to()));
      }
    }
    return out;
  }
}

package io.feishuipsync.writer.nftables;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.writer.PortRange;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * What the writer owns in the kernel and the {@code nft -f} scripts that build it. Names are validated identifiers
 * and addresses are {@link IpRange} values, so nothing from Feishu or the config reaches nft as free text.
 *
 * @param chain null in sets_only mode
 */
record NftLayout(String table, String chain, String setV4, String setV6, List<PortRange> ports, String protocol,
    String hook, int priority) {

  static final String FAMILY = "inet";
  /** Marks our rules; the digest after it changes when the rule set does, so a config change counts as drift. */
  static final String COMMENT_PREFIX = "feishu-ipsync ";
  private static final int ELEMENTS_PER_LINE = 500;

  boolean setsOnly() {
    return chain == null;
  }

  String where() {
    return FAMILY + " " + table;
  }

  /** The rules of our chain, without the {@code add rule ...} prefix. */
  List<String> rules() {
    String dports = ports.stream().map(PortRange::toString).collect(Collectors.joining(", "));
    String match = protocol + " dport { " + dports + " }";
    // Loopback (health checks on the host itself) is never filtered by this chain.
    return List.of(
        "iifname \"lo\" return",
        "meta nfproto ipv4 " + match + " ip saddr != @" + setV4 + " drop",
        "meta nfproto ipv6 " + match + " ip6 saddr != @" + setV6 + " drop");
  }

  String comment() {
    return COMMENT_PREFIX + Integer.toHexString(String.join("\n", rules()).hashCode() & 0x7fffffff);
  }

  /**
   * One transaction that leaves exactly our objects holding {@code desired}. In full mode the table is dropped and
   * rebuilt inside the transaction, which also repairs any drift; in sets_only mode only the two sets' contents are
   * replaced. The kernel applies all of it or none of it.
   */
  String applyScript(SortedSet<IpRange> desired) {
    StringBuilder sb = new StringBuilder();
    if (setsOnly()) {
      sb.append("add set ").append(where()).append(' ').append(setV4)
          .append(" { type ipv4_addr; flags interval; }\n");
      sb.append("add set ").append(where()).append(' ').append(setV6)
          .append(" { type ipv6_addr; flags interval; }\n");
    } else {
      // "add" first makes the "delete" valid when the table does not exist yet.
      sb.append("add table ").append(where()).append('\n');
      sb.append("delete table ").append(where()).append('\n');
      sb.append("add table ").append(where()).append('\n');
      sb.append("add set ").append(where()).append(' ').append(setV4)
          .append(" { type ipv4_addr; flags interval; }\n");
      sb.append("add set ").append(where()).append(' ').append(setV6)
          .append(" { type ipv6_addr; flags interval; }\n");
      sb.append("add chain ").append(where()).append(' ').append(chain).append(" { type filter hook ").append(hook)
          .append(" priority ").append(priority).append("; policy accept; }\n");
      for (String rule : rules()) {
        sb.append("add rule ").append(where()).append(' ').append(chain).append(' ').append(rule)
            .append(" comment \"").append(comment()).append("\"\n");
      }
    }
    elements(sb, setV4, desired.stream().filter(r -> r.family() == IpRange.Family.IPV4).toList());
    elements(sb, setV6, desired.stream().filter(r -> r.family() == IpRange.Family.IPV6).toList());
    return sb.toString();
  }

  private void elements(StringBuilder sb, String set, List<IpRange> entries) {
    sb.append("flush set ").append(where()).append(' ').append(set).append('\n');
    List<String> chunk = new ArrayList<>();
    for (IpRange r : entries) {
      chunk.add(r.toString());
      if (chunk.size() == ELEMENTS_PER_LINE) {
        addElements(sb, set, chunk);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      addElements(sb, set, chunk);
    }
  }

  private void addElements(StringBuilder sb, String set, List<String> chunk) {
    sb.append("add element ").append(where()).append(' ').append(set).append(" { ")
        .append(String.join(", ", chunk)).append(" }\n");
  }

  /** Removes what this writer created: the whole table in full mode, only the two sets in sets_only mode. */
  String teardownScript() {
    if (!setsOnly()) {
      return "add table " + where() + "\ndelete table " + where() + "\n";
    }
    return "delete set " + where() + " " + setV4 + "\ndelete set " + where() + " " + setV6 + "\n";
  }
}

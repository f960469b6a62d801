package io.feishuipsync.writer.iptables;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.writer.PortRange;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * The sets, chain and jump this writer owns, and the {@code ipset restore} and {@code iptables-restore} input that
 * builds them. Names are validated identifiers and addresses {@link IpRange} values; nothing else is interpolated.
 */
record IptLayout(String chain, String jumpFrom, List<PortRange> ports, String protocol, String inInterface,
    String setName) {

  /** Large enough for any list Feishu could publish; hash:net allocates as it grows. */
  static final int MAX_ELEMENTS = 262_144;
  static final String COMMENT_PREFIX = "feishu-ipsync ";

  String set(IpRange.Family f) {
    return setName + (f == IpRange.Family.IPV4 ? "-v4" : "-v6");
  }

  String tmpSet(IpRange.Family f) {
    return set(f) + "-tmp";
  }

  static String ipsetFamily(IpRange.Family f) {
    return f == IpRange.Family.IPV4 ? "inet" : "inet6";
  }

  /**
   * Fills temporary sets and swaps them in: each live set changes in one atomic step, and a failure before the swap
   * leaves it untouched.
   */
  String ipsetScript(SortedSet<IpRange> desired, List<IpRange.Family> families) {
    StringBuilder sb = new StringBuilder();
    for (IpRange.Family f : families) {
      sb.append("create ").append(set(f)).append(" hash:net family ").append(ipsetFamily(f)).append(" maxelem ")
          .append(MAX_ELEMENTS).append(" -exist\n");
      sb.append("create ").append(tmpSet(f)).append(" hash:net family ").append(ipsetFamily(f)).append(" maxelem ")
          .append(MAX_ELEMENTS).append(" -exist\n");
      sb.append("flush ").append(tmpSet(f)).append('\n');
      for (IpRange r : desired) {
        if (r.family() == f) {
          sb.append("add ").append(tmpSet(f)).append(' ').append(r).append('\n');
        }
      }
    }
    for (IpRange.Family f : families) {
      sb.append("swap ").append(tmpSet(f)).append(' ').append(set(f)).append('\n');
    }
    for (IpRange.Family f : families) {
      sb.append("destroy ").append(tmpSet(f)).append('\n');
    }
    return sb.toString();
  }

  /** Our chain's rules, as {@code -A} lines, the way {@code iptables -S} prints them back. */
  List<String> rules(IpRange.Family f) {
    List<String> out = new ArrayList<>();
    out.add("-A " + chain + " -i lo -m comment --comment \"" + comment() + "\" -j RETURN");
    for (PortRange p : ports) {
      StringBuilder r = new StringBuilder("-A ").append(chain);
      if (inInterface != null) {
        r.append(" -i ").append(inInterface);
      }
      r.append(" -p ").append(protocol);
      String port = p.single() ? Integer.toString(p.from()) : p.from() + ":" + p.to();
      if (jumpFrom.equals("DOCKER-USER")) {
        // Published ports are DNATed before FORWARD: match the port the client asked for, and only inbound
        // connections, so containers' own outgoing connections to that port are left alone.
        r.append(" -m conntrack --ctstate DNAT --ctorigdstport ").append(port).append(" --ctdir ORIGINAL");
      } else {
        r.append(" -m ").append(protocol).append(" --dport ").append(port);
      }
      r.append(" -m set ! --match-set ").append(set(f)).append(" src");
      r.append(" -m comment --comment \"").append(comment()).append("\" -j DROP");
      out.add(r.toString());
    }
    return out;
  }

  String jumpRule() {
    return "-A " + jumpFrom + " -j " + chain;
  }

  String comment() {
    String digest = String.join("\n", rules4Plain());
    return COMMENT_PREFIX + Integer.toHexString(digest.hashCode() & 0x7fffffff);
  }

  private List<String> rules4Plain() {
    return List.of(chain, jumpFrom, ports.toString(), protocol, String.valueOf(inInterface), setName);
  }

  /**
   * The jumps to our chain found in the chain they come from.
   *
   * @param count how many
   * @param first whether the first rule of that chain is one
   */
  record Jumps(int count, boolean first) {}

  /**
   * One {@code iptables-restore --noflush} commit: declaring our chain creates or empties it, its rules are written
   * again, and unless {@code jumps} is exactly one jump in first place, every jump is removed and one inserted first.
   */
  String restoreScript(IpRange.Family f, Jumps jumps) {
    StringBuilder sb = new StringBuilder("*filter\n");
    sb.append(':').append(chain).append(" - [0:0]\n");
    for (String rule : rules(f)) {
      sb.append(rule).append('\n');
    }
    if (jumps.count() != 1 || !jumps.first()) {
      for (int i = 0; i < jumps.count(); i++) {
        sb.append("-D ").append(jumpFrom).append(" -j ").append(chain).append('\n');
      }
      sb.append("-I ").append(jumpFrom).append(" 1 -j ").append(chain).append('\n');
    }
    return sb.append("COMMIT\n").toString();
  }
}

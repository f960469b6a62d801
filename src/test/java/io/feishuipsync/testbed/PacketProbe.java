package io.feishuipsync.testbed;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real packets inside a testbed: two client hosts in network namespaces, one listed (198.51.100.10,
 * 2001:db8:100::10) and one not (203.0.113.66, 2001:db8:200::66), connect over veth pairs to TCP servers in the
 * container's own namespace (where the firewall is) on the protected port 443 and the unprotected port 8080.
 */
public final class PacketProbe {

  public static final String LISTED_V4 = "198.51.100.10";
  public static final String LISTED_V6 = "2001:db8:100::10";
  public static final String UNLISTED_V4 = "203.0.113.66";
  public static final String UNLISTED_V6 = "2001:db8:200::66";

  private static final String SETUP = String.join("\n",
      "set -e",
      "host() { ns=$1; here=$2; there=$3; here6=$4; there6=$5",
      "  ip netns add $ns",
      "  ip link add $ns-a type veth peer name $ns-b",
      "  ip link set $ns-b netns $ns",
      "  ip addr add $here/24 dev $ns-a; ip -6 addr add $here6/64 dev $ns-a nodad; ip link set $ns-a up",
      "  ip -n $ns addr add $there/24 dev $ns-b; ip -n $ns -6 addr add $there6/64 dev $ns-b nodad",
      "  ip -n $ns link set $ns-b up; ip -n $ns link set lo up",
      "  ip -n $ns route add default via $here; ip -n $ns -6 route add default via $here6",
      "}",
      "host c1 198.51.100.1 " + LISTED_V4 + " 2001:db8:100::1 " + LISTED_V6,
      "host c2 203.0.113.1 " + UNLISTED_V4 + " 2001:db8:200::1 " + UNLISTED_V6,
      "for port in 443 8080; do",
      "  nohup python3 -m http.server $port --bind :: >/dev/null 2>&1 &",
      "done",
      "for i in $(seq 50); do",
      "  python3 -c 'import socket; socket.create_connection((\"::1\", 443), 1); socket.create_connection((\"::1\", 8080), 1)'"
          + " 2>/dev/null && exit 0",
      "  sleep 0.1",
      "done",
      "echo 'servers did not start' >&2; exit 1");

  private static final String CONNECT = "import socket,sys\n"
      + "try:\n"
      + "  socket.create_connection((sys.argv[1], int(sys.argv[2])), 1.5).close(); print('open')\n"
      + "except OSError as e:\n"
      + "  print('blocked')\n";

  private final Shell bed;

  private PacketProbe(Shell bed) {
    this.bed = bed;
  }

  /** Creates the hosts and servers, once per container. */
  public static PacketProbe setUp(Shell bed) {
    if (!bed.exec("ip", "netns", "pids", "c1").ok()) {
      bed.sh(SETUP);
    }
    return new PacketProbe(bed);
  }

  /** Which client reaches which server port, as observed now. */
  public Map<String, Boolean> reachability() {
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (String[] c : clients()) {
      for (int port : new int[] {443, 8080}) {
        String out = bed.sh("ip netns exec " + c[0] + " python3 -c \"$(cat <<'PY'\n" + CONNECT + "PY\n)\" "
            + c[2] + " " + port);
        seen.put(c[1] + " :" + port, out.strip().equals("open"));
      }
    }
    return seen;
  }

  /** What {@link #reachability()} should return, for both families alike. */
  public static Map<String, Boolean> expect(boolean listedProtected, boolean unlistedProtected, boolean listedOpen,
      boolean unlistedOpen) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    for (String[] c : clients()) {
      boolean listed = c[1].startsWith("listed");
      m.put(c[1] + " :443", listed ? listedProtected : unlistedProtected);
      m.put(c[1] + " :8080", listed ? listedOpen : unlistedOpen);
    }
    return m;
  }

  /** namespace, label, server address to connect to. */
  private static String[][] clients() {
    return new String[][] {
        {"c1", "listed v4 " + LISTED_V4, "198.51.100.1"},
        {"c2", "unlisted v4 " + UNLISTED_V4, "203.0.113.1"},
        {"c1", "listed v6 " + LISTED_V6, "2001:db8:100::1"},
        {"c2", "unlisted v6 " + UNLISTED_V6, "2001:db8:200::1"}};
  }
}

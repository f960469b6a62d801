package io.feishuipsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.testbed.PacketProbe;
import io.feishuipsync.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The allowlist holds between syncs, judged by real packets: the installed package runs as a daemon in a testbed
 * container, a stranger (an address on no list) and a listed host connect from network namespaces to the protected
 * port 443, and something else on the host flushes, reloads, deletes and edits the firewall. After each, the
 * stranger is refused again within {@code enforce.interval} plus a few seconds, and a listed host is never refused
 * while the rules are put back. Then a reboot (an empty kernel, Feishu unreachable) and a first install.
 */
class EnforcePacketIT {

  @RegisterExtension
  static final Testbed bed = Testbed.perClass();
  static final String SECRET = "enforce-packet-secret";
  static final String CONFIG = "/etc/feishu-ipsync/config.yaml";
  static final String CLI = "FEISHU_APP_SECRET=" + SECRET + " feishu-ipsync --config " + CONFIG;
  static final int INTERVAL_S = 2;
  /** How long a repair may take after the tampering: the interval, a JVM's scheduling, the tools. */
  static final long REPAIR_MS = (INTERVAL_S + 6) * 1000L;
  static final String DEBIAN_NFTABLES_CONF = "#!/usr/sbin/nft -f\n\nflush ruleset\n\ntable inet filter {\n"
      + "\tchain input {\n\t\ttype filter hook input priority filter;\n\t}\n\tchain forward {\n"
      + "\t\ttype filter hook forward priority filter;\n\t}\n\tchain output {\n"
      + "\t\ttype filter hook output priority filter;\n\t}\n}\n";

  @BeforeAll
  static void install() {
    bed.installPackage();
    PacketProbe.setUp(bed);
    bed.sh("cat > /etc/nftables.conf <<'EOF'\n" + DEBIAN_NFTABLES_CONF + "EOF");
  }

  @BeforeEach
  void clean() {
    stopDaemon();
    bed.sh("pkill -f '[f]ake_feishu.py'; rm -rf /var/lib/feishu-ipsync/* /var/lib/feishu-ipsync/.[!.]*; nft flush ruleset;"
        + " iptables -F; iptables -X; ip6tables -F; ip6tables -X; ipset destroy 2>/dev/null; true");
  }

  @AfterEach
  void stop() {
    stopDaemon();
  }

  static void config(String writer, String extra) {
    config(writer, extra, INTERVAL_S + "s");
  }

  static void config(String writer, String extra, String interval) {
    bed.sh("cat > " + CONFIG + " <<'EOF'\nfeishu:\n  base_url: http://127.0.0.1:18080\n  app_id: cli_enforce\n"
        + "  app_secret: ${FEISHU_APP_SECRET}\n  max_attempts: 1\n  connect_timeout: 1s\n"
        + FakeFeishu.LAB_VALIDATION + "\nstate_dir: /var/lib/feishu-ipsync\nschedule: {interval: 6h}\n"
        + "enforce: {interval: " + interval + "}\n" + extra + "writers:\n  - " + writer + "\nEOF");
  }

  static void feishuServes(String... entries) {
    bed.startFakeFeishu("[\"" + String.join("\", \"", entries) + "\"]", SECRET);
    bed.sh("for i in $(seq 50); do python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", 18080), 1)'"
        + " 2>/dev/null && exit 0; sleep 0.1; done; exit 1");
  }

  static void startDaemon() {
    bed.sh(CLI + " run >/var/log/feishu-ipsync.log 2>&1 &");
  }

  static void stopDaemon() {
    bed.sh("pkill -TERM -f '[f]eishu-ipsync.jar --config'; for i in $(seq 100); do pgrep -f '[f]eishu-ipsync.jar"
        + " --config' >/dev/null || exit 0; sleep 0.1; done; exit 1");
  }

  static String log() {
    return bed.sh("cat /var/log/feishu-ipsync.log");
  }

  /** True when {@code from} (a namespace) can open a TCP connection to {@code to} port 443 now. */
  static boolean reaches(String from, String to) {
    String out = bed.sh("ip netns exec " + from + " python3 -c \"import socket,sys\ntry:\n socket.create_connection(("
        + "'" + to + "', 443), 0.7).close(); print('open')\nexcept OSError: print('blocked')\"");
    return out.strip().equals("open");
  }

  static boolean strangerIn() {
    return reaches("c2", "203.0.113.1") || reaches("c2", "2001:db8:200::1");
  }

  static boolean strangerInV4() {
    return reaches("c2", "203.0.113.1");
  }

  static void assertListedIn() {
    assertTrue(reaches("c1", "198.51.100.1"), "the listed IPv4 host connects");
    assertTrue(reaches("c1", "2001:db8:100::1"), "the listed IPv6 host connects");
  }

  /** Waits until the stranger is refused on both families; returns how long it took. */
  static long untilStrangerRefused(String what) {
    return untilStrangerRefused(what, REPAIR_MS);
  }

  static long untilStrangerRefused(String what, long limitMs) {
    long start = System.nanoTime();
    while (System.nanoTime() - start < limitMs * 1_000_000) {
      if (!strangerIn()) {
        return (System.nanoTime() - start) / 1_000_000;
      }
    }
    fail("after " + what + ", the stranger still connects " + limitMs + " ms later; daemon log:\n" + log());
    return -1;
  }

  static int repairs() {
    return Integer.parseInt(bed.sh("grep -c ': repaired, it held something else' /var/log/feishu-ipsync.log;"
        + " true").strip());
  }

  /**
   * Tampers, waits for the daemon's repair line (the stranger may be let in for as short a time as a change event
   * takes, too short to probe), then proves the stranger refused; returns how long the repair took to be logged.
   */
  static long tamperAndAwaitRepair(String what, String script) {
    int before = repairs();
    long start = System.nanoTime();
    bed.sh(script);
    while (repairs() == before) {
      if (System.nanoTime() - start > REPAIR_MS * 1_000_000) {
        fail("after " + what + ", no repair within " + REPAIR_MS + " ms; daemon log:\n" + log());
      }
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    untilStrangerRefused(what);
    return ms;
  }

  /** The daemon with {@code writer} on port 443, the listed hosts on Feishu's list, after its first sync. */
  static void runSynced(String writer) {
    config("type: " + writer + "\n    ports: [443]", "");
    feishuServes(PacketProbe.LISTED_V4, PacketProbe.LISTED_V6);
    startDaemon();
    untilSynced();
    assertTrue(!strangerIn(), "the first sync shuts the stranger out");
    assertListedIn();
  }

  static void untilSynced() {
    bed.sh("for i in $(seq 300); do grep -q 'sync success' /var/log/feishu-ipsync.log && exit 0; sleep 0.1; done;"
        + " cat /var/log/feishu-ipsync.log >&2; exit 1");
  }

  /** A listed host connecting every 100 ms in the background, logging each refusal, until {@link #listedRefusals}. */
  static void startListedProbe() {
    bed.sh("rm -f /opt/listed.log; nohup ip netns exec c1 python3 -c \"import socket,time\nend=time.time()+120\n"
        + "while time.time()<end:\n for a in ('198.51.100.1','2001:db8:100::1'):\n  try: socket.create_connection("
        + "(a,443),0.5).close()\n  except OSError: open('/opt/listed.log','a').write(a+' refused\\\\n')\n"
        + " time.sleep(0.1)\" >/dev/null 2>&1 & echo $! > /opt/listed.pid");
  }

  static String listedRefusals() {
    return bed.sh("kill $(cat /opt/listed.pid) 2>/dev/null; cat /opt/listed.log 2>/dev/null; true");
  }

  @Test
  void nftablesIsPutBackAfterEveryKindOfTamperingAndTheListedHostIsNeverRefused() {
    runSynced("nftables");

    startListedProbe();
    String[][] tampering = {
        {"nft flush ruleset", "nft flush ruleset"},
        {"a reload of the host's own firewall (Debian's /etc/nftables.conf)", "nft -f /etc/nftables.conf"},
        {"deleting our table", "nft delete table inet feishu_ipsync"},
        {"adding the stranger to our sets (one transaction)", "printf 'add element inet feishu_ipsync allow_v4"
            + " { 203.0.113.66 }\\nadd element inet feishu_ipsync allow_v6 { 2001:db8:200::66 }\\n' | nft -f -"},
        {"deleting our chain's drop rules", "for h in $(nft -a list chain inet feishu_ipsync filter | sed -n"
            + " 's/.*drop.*# handle \\([0-9]*\\)/\\1/p'); do nft delete rule inet feishu_ipsync filter handle $h; done"},
        {"an accept rule put into our chain", "nft insert rule inet feishu_ipsync filter tcp dport 443 accept"},
    };
    StringBuilder times = new StringBuilder();
    for (String[] t : tampering) {
      long ms = tamperAndAwaitRepair(t[0], t[1]);
      times.append(t[0]).append(": ").append(ms).append(" ms; ");
    }
    assertEquals("", listedRefusals(), "the listed host was never refused while the rules were put back");
    assertListedIn();
    String log = log();
    assertTrue(log.contains("enforce: nftables:inet feishu_ipsync: repaired, it held something else than the"
        + " applied list: table inet feishu_ipsync is missing"), log);
    assertTrue(log.contains("2 entries not on the list (203.0.113.66/32, 2001:db8:200::66/128)"), log);
    System.out.println("EnforcePacketIT repair times (tamper to repair logged): " + times);

    // The listed host's own element deleted: put back too.
    bed.sh("nft delete element inet feishu_ipsync allow_v4 { " + PacketProbe.LISTED_V4 + " }");
    bed.sh("for i in $(seq 100); do nft list set inet feishu_ipsync allow_v4 | grep -q '" + PacketProbe.LISTED_V4
        + "' && exit 0; sleep 0.1; done; exit 1");
    assertListedIn();
  }

  @Test
  void changeEventsRepairAFlushInAboutASecondLongBeforeTheIntervalCheck() {
    config("type: nftables\n    ports: [443]", "", "1h");
    feishuServes(PacketProbe.LISTED_V4, PacketProbe.LISTED_V6);
    startDaemon();
    untilSynced();
    bed.sh("for i in $(seq 100); do grep -q 'watching for changes with nft monitor' /var/log/feishu-ipsync.log"
        + " && exit 0; sleep 0.1; done; exit 1");
    StringBuilder times = new StringBuilder();
    for (String tamper : new String[] {"nft flush ruleset", "nft -f /etc/nftables.conf",
        "nft add element inet feishu_ipsync allow_v4 { 203.0.113.66 }"}) {
      long start = System.nanoTime();
      bed.sh(tamper);
      untilStrangerRefused(tamper + " with a 1h interval", 3000);
      times.append(tamper).append(": ").append((System.nanoTime() - start) / 1_000_000).append(" ms; ");
    }
    assertListedIn();
    System.out.println("EnforcePacketIT event-driven repair times (tamper to stranger refused, probes included): "
        + times);

    // iptables' nf_tables flavour (the testbed's) shows in nft monitor too.
    stopDaemon();
    bed.sh("nft flush ruleset");
    config("type: iptables\n    ports: [443]", "", "1h");
    startDaemon();
    untilSynced();
    bed.sh("for i in $(seq 100); do grep -q 'watching for changes with nft monitor' /var/log/feishu-ipsync.log"
        + " && exit 0; sleep 0.1; done; exit 1");
    bed.sh("iptables -w -F FEISHU-IPSYNC; ip6tables -w -F FEISHU-IPSYNC");
    untilStrangerRefused("iptables -F with a 1h interval", 3000);
    assertListedIn();
  }

  @Test
  void iptablesIsPutBackAfterAFlushAMissingJumpAnEmptiedSetAndARestoreWithoutNoflush() {
    runSynced("iptables");

    startListedProbe();
    String[][] tampering = {
        {"iptables -F of our chain", "iptables -w -F FEISHU-IPSYNC; ip6tables -w -F FEISHU-IPSYNC"},
        {"removing the jump", "iptables -w -D INPUT -j FEISHU-IPSYNC; ip6tables -w -D INPUT -j FEISHU-IPSYNC"},
        {"an ACCEPT inserted above the jump", "iptables -w -I INPUT 1 -p tcp --dport 443 -j ACCEPT;"
            + " ip6tables -w -I INPUT 1 -p tcp --dport 443 -j ACCEPT"},
        {"iptables-restore of a ruleset saved before us (no --noflush)",
            "printf '*filter\\n:INPUT ACCEPT [0:0]\\nCOMMIT\\n' | iptables-restore -w;"
                + " printf '*filter\\n:INPUT ACCEPT [0:0]\\nCOMMIT\\n' | ip6tables-restore -w"},
        {"adding the stranger to our sets", "ipset add feishu-ipsync-v4 203.0.113.66;"
            + " ipset add feishu-ipsync-v6 2001:db8:200::66"},
    };
    for (String[] t : tampering) {
      tamperAndAwaitRepair(t[0], t[1]);
    }
    assertEquals("", listedRefusals(), "the listed host was never refused while the rules were put back");

    // ipset flush closes (an empty set admits nobody); destroy is refused while our rules use the set.
    bed.sh("ipset flush feishu-ipsync-v4");
    assertTrue(!strangerInV4());
    bed.sh("for i in $(seq 100); do ipset list feishu-ipsync-v4 | grep -q '" + PacketProbe.LISTED_V4
        + "' && exit 0; sleep 0.1; done; exit 1");
    assertListedIn();
    assertTrue(!bed.exec("ipset", "destroy", "feishu-ipsync-v4").ok(), "a set in use cannot be destroyed");
    String log = log();
    assertTrue(log.contains("the jump to FEISHU-IPSYNC is not the first rule"), log);
  }

  @Test
  void aRebootWithFeishuUnreachableIsProtectedFromTheFirstPacket() {
    config("type: iptables\n    ports: [443]", "");
    feishuServes(PacketProbe.LISTED_V4, PacketProbe.LISTED_V6);
    startDaemon();
    untilSynced();
    stopDaemon();
    config("type: nftables\n    ports: [443]", "");
    feishuServes(PacketProbe.LISTED_V4, PacketProbe.LISTED_V6);
    startDaemon();
    bed.sh("for i in $(seq 300); do [ $(grep -c 'sync success' /var/log/feishu-ipsync.log) -ge 1 ] && exit 0;"
        + " sleep 0.1; done; exit 1");
    stopDaemon();
    String files = bed.sh("cd /var/lib/feishu-ipsync && ls restore-* && stat -c '%a %U' restore-00.nft");
    assertEquals("restore-00.nft\n600 feishu-ipsync\n", files, "the iptables writer's files went with it");

    // The reboot: the kernel's ruleset is gone, and Feishu does not answer.
    bed.sh("pkill -f '[f]ake_feishu.py'; nft flush ruleset; iptables -F; iptables -X; ip6tables -F; ip6tables -X;"
        + " ipset destroy");
    assertTrue(strangerIn(), "an empty kernel admits everyone");
    String restored = bed.sh("/usr/lib/feishu-ipsync/feishu-ipsync-restore /var/lib/feishu-ipsync");
    assertTrue(restored.contains("loaded /var/lib/feishu-ipsync/restore-00.nft"), restored);
    assertTrue(!strangerIn(), "the boot-time restore, no JVM and no network, shuts the stranger out");
    assertListedIn();

    // The same through the command, for init systems without the unit.
    bed.sh("nft flush ruleset");
    String cmd = bed.sh("feishu-ipsync --config " + CONFIG + " restore");
    assertEquals("restored: nft\n", cmd);
    assertTrue(!strangerIn());

    // The daemon starts without Feishu: the last applied list stays, and a flush is still repaired.
    startDaemon();
    bed.sh("for i in $(seq 300); do grep -q 'sync source_failed' /var/log/feishu-ipsync.log && exit 0; sleep 0.1;"
        + " done; exit 1");
    assertTrue(log().contains("the last applied list is held, unchanged: 2 entries"), log());
    assertTrue(!strangerIn());
    assertListedIn();
    bed.sh("nft flush ruleset");
    untilStrangerRefused("a flush while Feishu is unreachable");
    assertListedIn();
  }

  @Test
  void aFirstInstallWithFeishuUnreachableIsClosedButToLoopbackAndTheOperatorsEntries() {
    config("type: nftables\n    ports: [443]", "also_allow: [" + PacketProbe.LISTED_V4 + "]\n");
    startDaemon();
    bed.sh("for i in $(seq 300); do grep -q 'sync source_failed' /var/log/feishu-ipsync.log && exit 0; sleep 0.1;"
        + " done; exit 1");
    assertTrue(log().contains("no list has been applied yet: the protected ports are closed to all but loopback and"
        + " your own entries (enforce.before_first_list: closed)"), log());
    assertTrue(!strangerIn(), "closed to the stranger");
    assertTrue(reaches("c1", "198.51.100.1"), "the operator's own entry connects");
    assertTrue(!reaches("c1", "2001:db8:100::1"), "an address on no list does not");
    assertTrue(bed.sh("python3 -c \"import socket; socket.create_connection(('127.0.0.1', 443), 1).close();"
        + " print('open')\"").contains("open"), "loopback is never filtered");
    String status = bed.sh("feishu-ipsync --config " + CONFIG + " status");
    assertTrue(status.contains("the protected ports are closed to all but loopback"), status);

    bed.sh("nft flush ruleset");
    untilStrangerRefused("a flush before the first list");

    // Feishu answers: the first list replaces the closed state.
    stopDaemon();
    feishuServes(PacketProbe.LISTED_V6);
    startDaemon();
    untilSynced();
    assertListedIn();
    assertTrue(!strangerIn());
  }
}

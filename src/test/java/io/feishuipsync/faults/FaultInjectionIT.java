package io.feishuipsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.testbed.Testbed;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crashes and broken disks against the installed package and the real kernel (nftables in a testbed): at every
 * instant the firewall holds the old or the new complete list, the snapshot and history are whole, and the next
 * normal run converges.
 */
class FaultInjectionIT {

  @RegisterExtension
  static final Testbed bed = Testbed.perClass();
  static final String SECRET = "fault-injection-secret";
  static final String SYNC = "FEISHU_APP_SECRET=" + SECRET + " feishu-ipsync --config /etc/feishu-ipsync/config.yaml";

  @BeforeAll
  static void install() {
    bed.copyResource("testbed/check_state.py", "/opt/check_state.py");
    bed.installPackage();
    bed.sh("cat > /etc/feishu-ipsync/config.yaml <<'EOF'\nfeishu:\n  base_url: http://127.0.0.1:18080\n"
        + "  app_id: cli_faults\n  app_secret: ${FEISHU_APP_SECRET}\n"
        + "validation: {allow_special: [198.18.0.0/15]}\nstate_dir: /var/lib/feishu-ipsync\n"
        + "writers:\n  - type: nftables\n    ports: [443]\nEOF");
    bed.startFakeFeishu("[]", SECRET);
  }

  @BeforeEach
  void clean() {
    bed.sh("umount /var/lib/feishu-ipsync 2>/dev/null; rm -rf /var/lib/feishu-ipsync/* /var/lib/feishu-ipsync/.[!.]*;"
        + " rm -f /opt/delay; nft flush ruleset");
  }

  /** Writes a candidate list of {@code n} addresses from 198.18.0.0/15 starting at {@code from}, as /opt/NAME. */
  static void list(String name, int from, int n) {
    List<String> quoted = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      quoted.add("\"198." + (18 + (i >> 16)) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff) + "\"");
    }
    bed.sh("echo '[" + String.join(",", quoted) + "]' > /opt/" + name);
  }

  static String check(String... candidates) {
    CommandResult r = bed.exec("sh", "-c", "cd /opt && python3 /opt/check_state.py " + String.join(" ", candidates));
    assertEquals(0, r.exitCode(), "firewall or state is not one complete list: " + r.stdout() + r.stderr());
    return r.stdout().strip();
  }

  @Test
  void killNineAtRandomMomentsNeverLeavesAMix() {
    list("a.json", 1, 3000);
    list("b.json", 1500, 3000);
    bed.sh("cp /opt/a.json /opt/ips.json && " + SYNC + " sync >/dev/null");
    Random random = new Random(20261124);
    int killedMidway = 0;
    for (int i = 0; i < 50; i++) {
      bed.sh("cp /opt/" + (i % 2 == 0 ? "b.json" : "a.json") + " /opt/ips.json");
      int delay = 200 + random.nextInt(1600);
      CommandResult r = bed.exec("sh", "-c", SYNC + " sync --force >/dev/null 2>&1 & pid=$!;"
          + " sleep " + (delay / 1000.0) + "; kill -9 $pid 2>/dev/null && echo killed; wait $pid; true");
      if (r.stdout().contains("killed")) {
        killedMidway++;
      }
      check("a.json", "b.json");
    }
    assertTrue(killedMidway >= 25, "most syncs were killed while running: " + killedMidway);
    bed.sh("cp /opt/b.json /opt/ips.json && " + SYNC + " sync --force >/dev/null");
    assertEquals("kernel=b.json snapshot=b.json", check("a.json", "b.json"));
    assertFalse(bed.sh("ls -A /var/lib/feishu-ipsync").contains(".tmp-"), "no temporary files left behind");
  }

  @Test
  void fullStateDirectoryFailsClearlyAndTheNextRunConverges() {
    list("a.json", 1, 20);
    list("b.json", 10, 20);
    bed.sh("mount -t tmpfs -o size=64k tmpfs /var/lib/feishu-ipsync && chmod 700 /var/lib/feishu-ipsync");
    bed.sh("cp /opt/a.json /opt/ips.json && " + SYNC + " sync >/dev/null");
    bed.sh("dd if=/dev/zero of=/var/lib/feishu-ipsync/fill bs=1k count=100 2>/dev/null; true");
    bed.sh("cp /opt/b.json /opt/ips.json");
    CommandResult full = bed.exec("sh", "-c", SYNC + " sync --force");
    assertEquals(1, full.exitCode(), full.stdout() + full.stderr());
    assertTrue(full.stderr().contains("No space left on device"), full.stderr());
    assertEquals(1, full.stderr().strip().lines().count(), full.stderr());
    assertEquals("kernel=b.json snapshot=a.json", check("a.json", "b.json"),
        "the firewall has the new list, the snapshot is the old one, whole");
    assertFalse(bed.sh("ls -A /var/lib/feishu-ipsync").contains(".tmp-"));

    bed.sh("rm /var/lib/feishu-ipsync/fill");
    bed.sh(SYNC + " sync --force >/dev/null");
    assertEquals("kernel=b.json snapshot=b.json", check("a.json", "b.json"));
  }

  @Test
  void readOnlyStateDirectoryFailsBeforeAnyChange() {
    list("a.json", 1, 20);
    list("b.json", 10, 20);
    bed.sh("mount -t tmpfs -o size=1m tmpfs /var/lib/feishu-ipsync && chmod 700 /var/lib/feishu-ipsync");
    bed.sh("cp /opt/a.json /opt/ips.json && " + SYNC + " sync >/dev/null");
    bed.sh("mount -o remount,ro /var/lib/feishu-ipsync && cp /opt/b.json /opt/ips.json");
    CommandResult ro = bed.exec("sh", "-c", SYNC + " sync --force");
    assertEquals(1, ro.exitCode(), ro.stdout() + ro.stderr());
    assertTrue(ro.stderr().contains("Read-only file system"), ro.stderr());
    assertEquals("kernel=a.json snapshot=a.json", check("a.json", "b.json"),
        "nothing changed");
    bed.sh("mount -o remount,rw /var/lib/feishu-ipsync");
    bed.sh(SYNC + " sync --force >/dev/null");
    assertEquals("kernel=b.json snapshot=b.json", check("a.json", "b.json"));
  }

  @Test
  void corruptSnapshotIsReportedAndReplaced() {
    list("a.json", 1, 20);
    bed.sh("cp /opt/a.json /opt/ips.json && " + SYNC + " sync >/dev/null");
    for (String corrupt : new String[] {"head -c 40 /var/lib/feishu-ipsync/snapshot.json > /tmp/s && mv /tmp/s",
        "echo '{\"version\": 9}' >", "printf '\\0\\0\\0' >"}) {
      bed.sh(corrupt + " /var/lib/feishu-ipsync/snapshot.json");
      CommandResult r = bed.exec("sh", "-c", SYNC + " sync");
      assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
      assertTrue(r.stderr().contains("snapshot"), "reported: " + r.stderr());
      check("a.json");
    }
  }

  @Test
  void firewallChangedBySomeoneElseIsRepairedAndLogged() {
    list("a.json", 1, 20);
    bed.sh("cp /opt/a.json /opt/ips.json && " + SYNC + " sync >/dev/null");
    String[] meddling = {"nft flush ruleset", "nft delete chain inet feishu_ipsync filter",
        "nft add element inet feishu_ipsync allow_v4 '{ 203.0.113.99 }'",
        "nft delete element inet feishu_ipsync allow_v4 '{ 198.18.0.5 }'"};
    for (String change : meddling) {
      bed.sh(change);
      CommandResult r = bed.exec("sh", "-c", SYNC + " sync");
      assertEquals(0, r.exitCode(), change + ": " + r.stdout() + r.stderr());
      assertTrue(r.stderr().contains("WARN") && r.stderr().contains("drift") && r.stderr().contains("repairing"),
          change + " is logged: " + r.stderr());
      assertEquals("kernel=a.json snapshot=a.json", check("a.json"), change);
      CommandResult again = bed.exec("sh", "-c", SYNC + " sync");
      assertFalse(again.stderr().contains("drift"), "repaired for good: " + again.stderr());
    }
  }

  @Test
  void sigtermDuringASyncAbandonsTheFetchOrFinishesTheApplyExitsZeroAndRulesStay() {
    list("a.json", 1, 500);
    list("b.json", 250, 500);
    bed.sh("cp /opt/a.json /opt/ips.json && " + SYNC + " sync >/dev/null");
    bed.sh("echo 1.0 > /opt/delay");
    Random random = new Random(1124);
    int midSync = 0;
    for (int i = 0; i < 10; i++) {
      bed.sh("cp /opt/" + (i % 2 == 0 ? "b.json" : "a.json") + " /opt/ips.json");
      int delay = random.nextInt(1200);
      // A fresh log file each time: the background job truncates a reused one only once it has started.
      String log = "/tmp/daemon-" + i + ".log";
      CommandResult r = bed.exec("sh", "-c", SYNC + " run >" + log + " 2>&1 & pid=$!;"
          + " until grep -q 'daemon started' " + log + " 2>/dev/null; do sleep 0.05; done; sleep " + (delay / 1000.0)
          + "; kill -TERM $pid; wait $pid; echo exit=$?; cat " + log);
      assertTrue(r.stdout().contains("exit=0"), r.stdout());
      String printed = r.stdout();
      assertTrue(printed.contains("firewall rules stay in place") && printed.contains("stopped"), printed);
      int stopping = printed.indexOf("stopping:");
      int synced = printed.indexOf("sync success");
      // A stop abandons a fetch (nothing applied yet) or lets an apply finish; either way one complete list stays.
      int abandoned = printed.indexOf("fetch abandoned: the daemon is stopping");
      if (synced > stopping || abandoned > stopping) {
        midSync++;
      }
      check("a.json", "b.json");
    }
    assertTrue(midSync >= 5, "most signals arrived during a sync: " + midSync);
    bed.sh("rm /opt/delay; cp /opt/b.json /opt/ips.json && " + SYNC + " sync --force >/dev/null");
    assertEquals("kernel=b.json snapshot=b.json", check("a.json", "b.json"));
  }
}

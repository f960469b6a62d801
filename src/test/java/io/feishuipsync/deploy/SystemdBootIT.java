package io.feishuipsync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.testbed.SystemdBox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged unit, unchanged, under a real systemd (Debian 12, systemd 252) booted as PID 1 in a container of
 * {@code feishu-ipsync-systemd:2} ({@code deploy/testbed/build-systemd-image.sh}) with no network but its own
 * loopback, where a fake Feishu serves the daemon: the .deb installed, {@code systemctl enable --now}, the first sync
 * in the kernel, a changed list after a restart, a clean stop that keeps the rules, no secret in the journal, for the
 * nftables writer and the iptables writer in both iptables flavours; and the unit's {@code systemd-analyze security}.
 */
class SystemdBootIT {

  static final String IMAGE = "feishu-ipsync-systemd:2";
  static final String SECRET = "systemd-boot-secret-4e1f9a";
  static final String UNIT = "feishu-ipsync.service";
  static final String RESTORE = "feishu-ipsync-restore.service";
  static final Duration SYNC_TIMEOUT = Duration.ofSeconds(90);
  static final ObjectMapper JSON = new ObjectMapper();

  static SystemdBox box;
  static String id;

  @BeforeAll
  static void boot() throws Exception {
    box = SystemdBox.boot();
    id = box.containerId();
    Path deb = Path.of(System.getProperty("feishuipsync.deb", "target/feishu-ipsync.deb"));
    // docker cp into a --tmpfs mount does not land: /opt is on the image's file system.
    for (Path f : List.of(deb, Path.of("src/test/resources/testbed/fake_feishu.py"))) {
      CommandResult cp = host("docker", "cp", f.toString(), id + ":/opt/" + f.getFileName());
      assertEquals(0, cp.exitCode(), cp.stderr());
    }
    sh("dpkg -i /opt/feishu-ipsync.deb");
    sh("echo '[\"198.51.100.10\"]' > /opt/ips.json");
    startFakeFeishu();
  }

  static void startFakeFeishu() {
    sh("systemd-run --unit=fake-feishu --quiet python3 /opt/fake_feishu.py 18080 /opt/ips.json " + SECRET);
    waitFor("the fake Feishu to listen", () -> exec("python3 -c 'import socket;"
        + " socket.create_connection((\"127.0.0.1\", 18080))'").ok());
  }

  @AfterAll
  static void stop() throws Exception {
    if (box != null) {
      box.close();
    }
  }

  /** Each test starts with the service stopped, no state, empty firewalls of both flavours, and no lock file. */
  @BeforeEach
  void reset() {
    sh("systemctl disable --now " + UNIT + " 2>/dev/null; systemctl reset-failed " + UNIT + " 2>/dev/null;"
        + " rm -rf /var/lib/feishu-ipsync/* /run/xtables.lock; nft flush ruleset;"
        + " for t in iptables-legacy ip6tables-legacy; do $t -w -F INPUT; $t -w -F FEISHU-IPSYNC 2>/dev/null;"
        + " $t -w -X FEISHU-IPSYNC 2>/dev/null; done; ipset destroy 2>/dev/null; rm -f /run/xtables.lock; true");
  }

  @Test
  void nftablesAndIptablesNftWritersUnderTheUnit() {
    flavour("nft");
    configure("  - type: nftables\n    ports: [443]\n  - type: iptables\n    ports: [443]\n");
    list("198.51.100.10", "2001:db8::10");

    sh("systemctl enable --now " + UNIT);
    waitFor("the first sync in nftables and in ipset", () -> nftSet("allow_v4").contains("198.51.100.10")
        && ipset("feishu-ipsync-v4").contains("198.51.100.10") && ipset("feishu-ipsync-v6").contains("2001:db8::10"));
    assertEquals(Set.of("198.51.100.10"), nftSet("allow_v4"));
    assertEquals(Set.of("2001:db8::10"), nftSet("allow_v6"));
    String rules = sh("iptables-nft-save -t filter");
    assertTrue(rules.contains("-A INPUT -j FEISHU-IPSYNC") && rules.contains("--match-set feishu-ipsync-v4 src"),
        rules);

    list("198.51.100.10", "198.51.100.11", "2001:db8::10");
    sh("systemctl restart " + UNIT);
    waitFor("the changed list after a restart", () -> nftSet("allow_v4").contains("198.51.100.11")
        && ipset("feishu-ipsync-v4").contains("198.51.100.11"));
    assertEquals(Set.of("198.51.100.10", "198.51.100.11"), ipset("feishu-ipsync-v4"));

    stopsCleanlyAndKeepsTheRules(() -> nftSet("allow_v4").contains("198.51.100.11")
        && ipset("feishu-ipsync-v4").contains("198.51.100.11"));
  }

  @Test
  void afterARebootTheRestoreUnitHasTheAllowlistInTheKernelBeforeTheNetworkAndTheDaemon() {
    flavour("nft");
    configure("  - type: nftables\n    ports: [443]\n");
    list("198.51.100.40", "2001:db8::40");
    sh("systemctl enable --now " + UNIT);
    assertEquals("enabled", sh("systemctl is-enabled " + RESTORE).strip(), "enabled with the service (Also=)");
    waitFor("the first sync", () -> nftSet("allow_v4").contains("198.51.100.40"));
    waitFor("its boot-time copy", () -> exec("test -s /var/lib/feishu-ipsync/restore-00.nft").ok());
    String order = sh("systemctl show -p Before -p After -p DefaultDependencies " + RESTORE);
    assertTrue(order.matches("(?s).*Before=[^\n]*network-pre\\.target.*"), order);
    assertTrue(order.matches("(?s).*After=[^\\n]*nftables\\.service.*"), order);

    // A reboot: a new network namespace with an empty ruleset, and Feishu (a transient unit) gone.
    CommandResult restart = host("docker", "restart", id);
    assertEquals(0, restart.exitCode(), restart.stderr());
    waitFor("systemd to finish booting again", () -> {
      String state = exec("systemctl is-system-running").stdout().strip();
      return state.equals("running") || state.equals("degraded");
    });
    try {
      String restored = sh("systemctl show -p Result -p ExecMainExitTimestampMonotonic " + RESTORE);
      assertTrue(restored.contains("Result=success"), restored + exec("journalctl -b --no-pager -o cat -u " + RESTORE)
          .stdout());
      long restoredAt = monotonic(restored, "ExecMainExitTimestampMonotonic");
      long networkPre = monotonic(sh("systemctl show -p ActiveEnterTimestampMonotonic network-pre.target"),
          "ActiveEnterTimestampMonotonic");
      long daemonStarted = monotonic(sh("systemctl show -p ExecMainStartTimestampMonotonic " + UNIT),
          "ExecMainStartTimestampMonotonic");
      assertTrue(restoredAt > 0 && restoredAt <= networkPre, "restored before network-pre.target: " + restoredAt
          + " <= " + networkPre);
      assertTrue(restoredAt <= daemonStarted, "restored before the daemon started: " + restoredAt + " <= "
          + daemonStarted);
      assertTrue(sh("journalctl -b -u " + RESTORE + " --no-pager -o cat")
          .contains("loaded /var/lib/feishu-ipsync/restore-00.nft"));
      assertEquals(Set.of("198.51.100.40"), nftSet("allow_v4"));
      assertEquals(Set.of("2001:db8::40"), nftSet("allow_v6"));
      // The daemon, without Feishu, holds the same list.
      waitFor("the daemon's first sync without Feishu", () -> journal(null).contains("the last applied list is held"));
      assertEquals(Set.of("198.51.100.40"), nftSet("allow_v4"));
    } finally {
      startFakeFeishu();
    }
  }

  @Test
  void firewalldReloadsLeaveTheAllowlistInPlaceOrGetItPutBack() {
    flavour("nft");
    configure("  - type: nftables\n    ports: [443]\n  - type: iptables\n    ports: [443]\n");
    sh("echo 'enforce: {interval: 2s}' >> /etc/feishu-ipsync/config.yaml");
    list("198.51.100.50", "2001:db8::50");
    sh("systemctl unmask firewalld && systemctl start firewalld");
    try {
      waitFor("firewalld to run", () -> exec("firewall-cmd --state").stdout().strip().equals("running"));
      sh("systemctl enable --now " + UNIT);
      waitFor("the first sync", () -> nftSet("allow_v4").contains("198.51.100.50")
          && ipset("feishu-ipsync-v4").contains("198.51.100.50"));
      for (String reload : List.of("firewall-cmd --reload", "firewall-cmd --complete-reload",
          "systemctl restart firewalld")) {
        sh(reload);
        waitFor("firewalld to run after " + reload, () -> exec("firewall-cmd --state").stdout().strip()
            .equals("running"));
        sleep(Duration.ofSeconds(3));
        waitFor("the allowlist after " + reload, () -> nftSet("allow_v4").equals(Set.of("198.51.100.50"))
            && nftSet("allow_v6").equals(Set.of("2001:db8::50"))
            && ipset("feishu-ipsync-v4").equals(Set.of("198.51.100.50"))
            && sh("iptables-nft-save -t filter").contains("-A INPUT -j FEISHU-IPSYNC")
            && sh("ip6tables-nft-save -t filter").contains("-A INPUT -j FEISHU-IPSYNC"));
      }
      String journal = journal(null);
      assertTrue(journal.contains("enforcing 2 local writer(s)"), journal);
      System.out.println("SystemdBootIT firewalld: repairs after its reloads: " + journal.lines()
          .filter(l -> l.contains(": repaired,")).toList());
    } finally {
      exec("systemctl stop firewalld; systemctl mask firewalld; nft delete table inet firewalld");
    }
  }

  @Test
  void theFirewalldWriterUnderTheUnitAsItsServiceAccount() {
    configure("  - type: firewalld\n    ports: [443]\n");
    sh("echo 'enforce: {interval: 2s}' >> /etc/feishu-ipsync/config.yaml");
    list("198.51.100.60", "2001:db8::60");
    sh("systemctl unmask firewalld && systemctl start firewalld");
    try {
      waitFor("firewalld to run", () -> exec("firewall-cmd --state").stdout().strip().equals("running"));
      sh("systemctl enable --now " + UNIT);
      // The unit runs as feishu-ipsync with CAP_NET_ADMIN only: firewalld lets it in through the packaged polkit rule.
      waitFor("the first sync in firewalld", () -> exec("firewall-cmd --ipset=feishu_ipsync_v4 --get-entries")
          .stdout().contains("198.51.100.60"));
      assertTrue(sh("firewall-cmd --permanent --ipset=feishu_ipsync_v6 --get-entries").contains("2001:db8::60"));
      assertTrue(sh("firewall-cmd --get-policies").contains("feishu_ipsync"));
      sh("firewall-cmd --ipset=feishu_ipsync_v4 --add-entry=203.0.113.99");
      waitFor("the enforcement loop to take a hand-added entry out", () -> !exec(
          "firewall-cmd --ipset=feishu_ipsync_v4 --get-entries").stdout().contains("203.0.113.99"));
      sh("firewall-cmd --complete-reload");
      waitFor("the list after a complete reload", () -> exec("firewall-cmd --ipset=feishu_ipsync_v4 --get-entries")
          .stdout().strip().equals("198.51.100.60"));
      String journal = journal(null);
      assertFalse(journal.contains("Authorization failed") || journal.contains("NOT_AUTHORIZED"), journal);
      sh("systemctl stop " + UNIT + " && feishu-ipsync --config /etc/feishu-ipsync/config.yaml teardown --yes");
      assertFalse(sh("firewall-cmd --get-ipsets").contains("feishu_ipsync"));
    } finally {
      exec("systemctl stop firewalld; systemctl mask firewalld; nft delete table inet firewalld");
    }
  }

  static long monotonic(String show, String key) {
    Matcher m = Pattern.compile(key + "=([0-9]+)").matcher(show);
    assertTrue(m.find(), show);
    return Long.parseLong(m.group(1));
  }

  @Test
  void iptablesLegacyWriterUnderTheUnitUsesTheHostsOneXtablesLock() {
    flavour("legacy");
    configure("  - type: iptables\n    ports: [443]\n");
    list("198.51.100.20", "2001:db8::20");

    // No lock file at start (a fresh /run): the unit creates it for every iptables user, readable by its group.
    sh("systemctl enable --now " + UNIT);
    waitFor("the first sync in ipset", () -> ipset("feishu-ipsync-v4").contains("198.51.100.20"));
    assertEquals("640 root feishu-ipsync", sh("stat -c '%a %U %G' /run/xtables.lock").strip());
    String rules = sh("iptables-legacy-save -t filter");
    assertTrue(rules.contains("-A INPUT -j FEISHU-IPSYNC") && rules.contains("--match-set feishu-ipsync-v4 src"),
        rules);
    assertTrue(sh("ip6tables-legacy-save -t filter").contains("--match-set feishu-ipsync-v6 src"));
    assertFalse(sh("iptables-nft-save -t filter").contains("FEISHU-IPSYNC"), "the rules are in the legacy flavour");

    // Now the lock as root's iptables leaves it (0600), and held by another iptables user, as Docker would.
    sh("rm /run/xtables.lock && (umask 077 && iptables-legacy -w -S INPUT >/dev/null)");
    assertEquals("600 root root", sh("stat -c '%a %U %G' /run/xtables.lock").strip());
    list("198.51.100.20", "198.51.100.21", "2001:db8::20");
    sh("systemd-run --unit=lock-holder --quiet flock /run/xtables.lock sleep 20");
    sh("systemctl restart " + UNIT);
    sleep(Duration.ofSeconds(12));
    assertFalse(ipset("feishu-ipsync-v4").contains("198.51.100.21"), "the service waits for the shared lock");
    waitFor("the changed list once the lock is free", () -> ipset("feishu-ipsync-v4").contains("198.51.100.21"));
    assertEquals(Set.of("198.51.100.20", "198.51.100.21"), ipset("feishu-ipsync-v4"));

    stopsCleanlyAndKeepsTheRules(() -> ipset("feishu-ipsync-v4").contains("198.51.100.21")
        && sh("iptables-legacy-save -t filter").contains("-A INPUT -j FEISHU-IPSYNC"));
  }

  @Test
  void aCredentialTheServiceUserCannotReadIsNamedInTheJournal() {
    // The README's setup: the secret in a root-only file, handed over by LoadCredential=.
    flavour("nft");
    sh("cat > /etc/feishu-ipsync/config.yaml <<'EOF'\nfeishu:\n  base_url: http://127.0.0.1:18080\n"
        + "  app_id: cli_systemd\n  app_secret: ${FEISHU_APP_SECRET:-}\n" + FakeFeishu.LAB_VALIDATION
        + "\nstate_dir: /var/lib/feishu-ipsync\n"
        + "writers:\n  - type: nftables\n    ports: [443]\nEOF\n"
        + "install -m 0600 /dev/null /etc/feishu-ipsync/app_secret && echo " + SECRET + " > /etc/feishu-ipsync/app_secret");
    list("198.51.100.30");
    String cursor = cursor();
    exec("systemctl start " + UNIT);
    // check-config (ExecStartPre) refuses, the start fails; Restart=on-failure would try again in 30 s.
    waitFor("check-config to refuse", () -> sh("systemctl show -p Result " + UNIT).strip().equals("Result=exit-code"));
    // systemd in a container cannot mount the credentials file system and falls back to a root-only directory.
    assertFalse(exec("setpriv --reuid=feishu-ipsync --regid=feishu-ipsync --clear-groups cat"
        + " /run/credentials/" + UNIT + "/app_secret").ok(), "this environment makes the fallback");
    String journal = journal(cursor);
    assertTrue(journal.contains("$CREDENTIALS_DIRECTORY/app_secret: set, but the credential cannot be read: /run/"
        + "credentials/" + UNIT + "/app_secret: permission denied"), journal);
    assertTrue(journal.contains("use feishu.app_secret_file instead, a file of mode 0640 in group feishu-ipsync"),
        journal);
    assertFalse(journal.contains("missing"), journal);
    assertFalse(journal.contains(SECRET), "no secret in the journal");
    assertTrue(nftSet("allow_v4").isEmpty(), "nothing applied");
  }

  @Test
  void securityAnalysisOfTheInstalledUnitIsAtMostWhatTheReadmeClaims() throws IOException {
    String out = sh("systemd-analyze security --no-pager " + UNIT);
    Matcher m = Pattern.compile("Overall exposure level for " + Pattern.quote(UNIT) + ": ([0-9.]+) (\\S+)")
        .matcher(out);
    assertTrue(m.find(), out);
    Matcher claim = Pattern.compile("`systemd-analyze security` rates it \\*\\*([0-9.]+) (\\S+)\\*\\*")
        .matcher(Files.readString(Path.of("README.md")));
    assertTrue(claim.find(), "the README states the rating");
    assertTrue(Double.parseDouble(m.group(1)) <= Double.parseDouble(claim.group(1)),
        "measured " + m.group(1) + " " + m.group(2) + ", the README claims " + claim.group(1));
  }

  /** Stops the unit: it ends inactive with exit status 0, the rules stay, and the journal holds no secret. */
  static void stopsCleanlyAndKeepsTheRules(Supplier<Boolean> rulesInPlace) {
    sh("systemctl stop " + UNIT);
    String show = sh("systemctl show -p ActiveState -p Result -p ExecMainStatus " + UNIT);
    assertTrue(show.contains("ActiveState=inactive") && show.contains("Result=success")
        && show.contains("ExecMainStatus=0"), show);
    assertTrue(rulesInPlace.get(), "stopping keeps the rules");
    String journal = journal(null);
    assertTrue(journal.contains("received SIGTERM"), journal);
    assertFalse(journal.contains(SECRET), "no secret in the journal");
  }

  /** Points iptables and ip6tables at one flavour, as update-alternatives does on a host. */
  static void flavour(String which) {
    for (String t : List.of("iptables", "ip6tables")) {
      sh("update-alternatives --quiet --set " + t + " /usr/sbin/" + t + "-" + which);
    }
    assertTrue(sh("iptables -V").contains(which.equals("nft") ? "nf_tables" : "legacy"));
  }

  /** The config the tests run: app_secret_file, the README's fallback for a credential the service cannot read. */
  static void configure(String writers) {
    sh("cat > /etc/feishu-ipsync/config.yaml <<'EOF'\nfeishu:\n  base_url: http://127.0.0.1:18080\n"
        + "  app_id: cli_systemd\n  app_secret_file: /etc/feishu-ipsync/app_secret\n"
        + FakeFeishu.LAB_VALIDATION + "\nstate_dir: /var/lib/feishu-ipsync\nwriters:\n" + writers + "EOF\n"
        + "install -m 0640 -g feishu-ipsync /dev/null /etc/feishu-ipsync/app_secret"
        + " && echo " + SECRET + " > /etc/feishu-ipsync/app_secret");
  }

  /** What the fake Feishu answers from now on. */
  static void list(String... entries) {
    sh("echo '[\"" + String.join("\", \"", entries) + "\"]' > /opt/ips.json");
  }

  static Set<String> nftSet(String set) {
    CommandResult r = exec("nft -j list set inet feishu_ipsync " + set);
    TreeSet<String> out = new TreeSet<>();
    if (!r.ok()) {
      return out;
    }
    try {
      for (JsonNode item : JSON.readTree(r.stdout()).path("nftables")) {
        for (JsonNode e : item.path("set").path("elem")) {
          out.add(e.isTextual() ? e.asText()
              : e.path("prefix").path("addr").asText() + "/" + e.path("prefix").path("len").asInt());
        }
      }
    } catch (IOException e) {
      fail("nft printed JSON this test cannot read: " + r.stdout());
    }
    return out;
  }

  static Set<String> ipset(String set) {
    CommandResult r = exec("ipset list " + set);
    TreeSet<String> out = new TreeSet<>();
    boolean members = false;
    for (String line : r.ok() ? r.stdout().split("\n") : new String[0]) {
      if (members && !line.isBlank()) {
        out.add(line.strip().split(" ")[0]);
      }
      members |= line.startsWith("Members:");
    }
    return out;
  }

  static String cursor() {
    String out = sh("journalctl -n 0 --show-cursor --no-pager");
    return out.substring(out.indexOf("-- cursor: ") + "-- cursor: ".length()).strip();
  }

  /** The unit's journal (after {@code cursor}, if given), as the operator reads it. */
  static String journal(String cursor) {
    return sh("journalctl -u " + UNIT + " --no-pager -o cat" + (cursor == null ? "" : " --after-cursor='" + cursor
        + "'"));
  }

  static void waitFor(String what, Supplier<Boolean> done) {
    long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.get()) {
        return;
      }
      sleep(Duration.ofMillis(500));
    }
    String status = id == null ? "" : exec("systemctl status --no-pager -n 30 " + UNIT).stdout();
    fail("timed out waiting for " + what + "\n" + status);
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String sh(String script) {
    CommandResult r = exec(script);
    if (!r.ok()) {
      fail("in the systemd container: `" + script + "` exited " + r.exitCode() + ": " + r.stderr() + r.stdout());
    }
    return r.stdout();
  }

  static CommandResult exec(String script) {
    return host("docker", "exec", id, "sh", "-c", script);
  }

  static CommandResult host(String... argv) {
    return SystemdBox.host(argv);
  }



}

package io.feishuipsync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.testbed.Testbed;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.utility.MountableFile;

/**
 * The .deb on a clean Debian (the testbed): installs, runs as the unit runs it (system user, only CAP_NET_ADMIN and
 * CAP_NET_RAW, no new privileges, the secret as a systemd credential), fails clearly without the capability, and
 * purges cleanly while leaving the firewall alone.
 */
class PackageIT {

  @RegisterExtension
  static final Testbed bed = Testbed.perClass();
  static final String CAPS = "-all,+net_admin,+net_raw";
  static final String SECRET = "packaged-app-secret-42";

  @BeforeAll
  static void install() {
    bed.startFakeFeishu("[\"198.51.100.10\", \"2001:db8::10\"]", SECRET);
    bed.installPackage();
  }

  /** Runs the installed command the way the systemd unit does. */
  static CommandResult asService(String caps, String... args) {
    return bed.exec("sh", "-c", "mkdir -p /run/credentials/feishu-ipsync"
        + " && echo " + SECRET + " > /run/credentials/feishu-ipsync/app_secret"
        + " && chown -R feishu-ipsync /run/credentials/feishu-ipsync && chmod 0400 /run/credentials/feishu-ipsync/*"
        + " && CREDENTIALS_DIRECTORY=/run/credentials/feishu-ipsync setpriv --reuid=feishu-ipsync"
        + " --regid=feishu-ipsync --init-groups --inh-caps=" + caps + " --ambient-caps=" + caps + " --bounding-set="
        + caps + " --no-new-privs feishu-ipsync --config /etc/feishu-ipsync/config.yaml " + String.join(" ", args));
  }

  /** Writes the config and starts from an empty state directory and ruleset, so tests do not depend on order. */
  static void configure(String writers) {
    bed.sh("rm -f /var/lib/feishu-ipsync/* && nft flush ruleset");
    bed.sh("cat > /etc/feishu-ipsync/config.yaml <<'EOF'\n"
        + "feishu:\n  base_url: http://127.0.0.1:18080\n  app_id: cli_packaged\n"
        + FakeFeishu.LAB_VALIDATION + "\nstate_dir: /var/lib/feishu-ipsync\nwriters:\n" + writers + "EOF");
  }

  @Test
  void installedFilesUserAndPermissions() {
    assertTrue(bed.sh("id feishu-ipsync").contains("feishu-ipsync"));
    assertEquals("drwx------ feishu-ipsync feishu-ipsync", bed.sh("stat -c '%A %U %G' /var/lib/feishu-ipsync").strip());
    assertEquals("-rw-r----- root feishu-ipsync", bed.sh("stat -c '%A %U %G' /etc/feishu-ipsync/config.yaml").strip());
    assertTrue(bed.sh("dpkg-query -W -f='${Conffiles}' feishu-ipsync").contains("/etc/feishu-ipsync/config.yaml"));
    assertTrue(bed.sh("test -f /lib/systemd/system/feishu-ipsync.service && echo ok").contains("ok"));
    assertTrue(bed.sh("test -f /lib/systemd/system/feishu-ipsync-restore.service && echo ok").contains("ok"));
    assertEquals("-rwxr-xr-x root", bed.sh("stat -c '%A %U' /usr/lib/feishu-ipsync/feishu-ipsync-restore").strip());
    assertTrue(bed.sh("feishu-ipsync --version").startsWith("feishu-ipsync "));
  }

  @Test
  void syncIntoTheKernelWorksWithOnlyTheUnitsCapabilitiesAndFailsClearlyWithout() {
    configure("  - type: nftables\n    ports: [443]\n  - type: iptables\n    ports: [443]\n");
    bed.sh("echo '[\"198.51.100.10\", \"2001:db8::10\"]' > /opt/ips.json");
    CommandResult ok = asService(CAPS, "sync");
    assertEquals(0, ok.exitCode(), ok.stdout() + ok.stderr());
    assertTrue(bed.sh("nft list set inet feishu_ipsync allow_v4").contains("198.51.100.10"));
    assertTrue(bed.sh("ipset list feishu-ipsync-v6").contains("2001:db8::10"));
    assertEquals("-rw------- feishu-ipsync", bed.sh("stat -c '%A %U' /var/lib/feishu-ipsync/snapshot.json").strip());
    CommandResult status = asService(CAPS, "status");
    assertFalse(status.stdout().contains(SECRET) || status.stderr().contains(SECRET));

    bed.sh("echo '[\"198.51.100.10\", \"198.51.100.11\", \"2001:db8::10\"]' > /opt/ips.json");
    CommandResult denied = asService("-all", "sync");
    bed.sh("echo '[\"198.51.100.10\", \"2001:db8::10\"]' > /opt/ips.json");
    assertEquals(5, denied.exitCode(), denied.stdout() + denied.stderr());
    assertTrue(denied.stderr().contains("CAP_NET_ADMIN"), denied.stderr());
    assertEquals(1, denied.stderr().lines().count(), "one line: " + denied.stderr());
    assertFalse(bed.sh("nft list set inet feishu_ipsync allow_v4").contains("198.51.100.11"), "nothing changed");
  }

  @Test
  void syncRunByRootLeavesStateTheServiceCanUseAndAForeignLockIsAClearError() {
    configure("  - type: nftables\n    ports: [443]\n");
    bed.sh("echo '[\"198.51.100.30\"]' > /opt/ips.json && mkdir -p /etc/feishu-ipsync/creds"
        + " && echo " + SECRET + " > /etc/feishu-ipsync/creds/app_secret");
    // An operator tries it by hand first, as root.
    CommandResult manual = bed.exec("sh", "-c", "CREDENTIALS_DIRECTORY=/etc/feishu-ipsync/creds"
        + " feishu-ipsync --config /etc/feishu-ipsync/config.yaml sync");
    assertEquals(0, manual.exitCode(), manual.stdout() + manual.stderr());
    assertEquals("feishu-ipsync -rw------- history.jsonl\nfeishu-ipsync -rw------- lock\n"
        + "feishu-ipsync -rw------- restore-00.nft\n"
        + "feishu-ipsync -rw------- snapshot.json\nfeishu-ipsync -rw------- status.json",
        bed.sh("cd /var/lib/feishu-ipsync && stat -c '%U %A %n' * | sort").strip());

    // Then the service takes over and applies the next change.
    bed.sh("echo '[\"198.51.100.30\", \"198.51.100.31\"]' > /opt/ips.json");
    CommandResult service = asService(CAPS, "sync");
    assertEquals(0, service.exitCode(), service.stdout() + service.stderr());
    assertTrue(bed.sh("nft list set inet feishu_ipsync allow_v4").contains("198.51.100.31"));

    // A state file someone chowned away: one line that says which file and who owns it, and nothing changes.
    bed.sh("chown root /var/lib/feishu-ipsync/lock && echo '[\"198.51.100.30\"]' > /opt/ips.json");
    CommandResult denied = asService(CAPS, "sync");
    assertEquals(1, denied.exitCode(), denied.stdout() + denied.stderr());
    assertEquals("feishu-ipsync: cannot lock the state directory /var/lib/feishu-ipsync:"
        + " /var/lib/feishu-ipsync/lock: permission denied (owned by root)", denied.stderr().strip());
    assertTrue(bed.sh("nft list set inet feishu_ipsync allow_v4").contains("198.51.100.31"), "nothing changed");
  }

  @Test
  void theHuaweiCloudSdkRunsFromItsInstalledBundleAsTheServiceAccount() {
    assertEquals("drwxr-xr-x root", bed.sh("stat -c '%A %U' /usr/share/feishu-ipsync/bundles/huaweicloud").strip());
    assertEquals("-rw-r--r-- root", bed.sh("stat -c '%A %U' /usr/share/feishu-ipsync/bundles/huaweicloud/*.jar"
        + " | sort -u").strip());
    configure("  - type: huaweicloud-security-group\n    region: cn-north-4\n    endpoint: http://127.0.0.1:9\n"
        + "    project_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9\n    access_key: HPUAFAKEACCESSKEY0001\n"
        + "    secret_key: packaged-huawei-sk-0123\n    group_ids: [0552091e-b83a-49dd-88a7-4a5c86fd9ec3]\n"
        + "    ports: [443]\n");
    CommandResult r = asService(CAPS, "sync");
    String all = r.stdout() + r.stderr();
    // The SDK ran (on its own OkHttp, from the bundle) and found nothing listening: one line, no secret.
    assertEquals(5, r.exitCode(), all);
    assertTrue(all.contains("ListSecurityGroupRules failed: DefaultHttpClient ConnectionException (Failed to connect"
        + " to /127.0.0.1:9); check the region, endpoint and network"), all);
    assertFalse(all.contains("bundle") || all.contains("packaged-huawei-sk-0123") || all.contains("\tat "), all);
  }

  @Test
  void daemonRunsAsTheUnitRunsItAndStopsCleanlyOnSigterm() {
    configure("  - type: nftables\n    ports: [443]\n");
    bed.sh("echo '[\"198.51.100.20\", \"2001:db8::20\"]' > /opt/ips.json");
    // The daemon syncs at start; SIGTERM after a few seconds must end it with exit 0.
    CommandResult r = bed.exec("sh", "-c", "mkdir -p /run/credentials/feishu-ipsync"
        + " && echo " + SECRET + " > /run/credentials/feishu-ipsync/app_secret"
        + " && chown -R feishu-ipsync /run/credentials/feishu-ipsync"
        + " && CREDENTIALS_DIRECTORY=/run/credentials/feishu-ipsync timeout --preserve-status -s TERM 8"
        + " setpriv --reuid=feishu-ipsync --regid=feishu-ipsync --init-groups --inh-caps=" + CAPS
        + " --ambient-caps=" + CAPS + " --bounding-set=" + CAPS + " --no-new-privs"
        + " feishu-ipsync --config /etc/feishu-ipsync/config.yaml run");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("received SIGTERM"), r.stdout());
    assertFalse(r.stdout().contains(SECRET), "no secret in the daemon log");
    assertTrue(bed.sh("nft list set inet feishu_ipsync allow_v4").contains("198.51.100.20"));
  }

  @Test
  void installScriptDoesWhatThePackageDoesAndCanRunAgain() {
    Testbed other = Testbed.start();
    try {
      Path jar = Path.of(System.getProperty("feishuipsync.jar", "target/feishu-ipsync.jar"));
      other.container().copyFileToContainer(MountableFile.forHostPath(jar), "/src/target/feishu-ipsync.jar");
      other.container().copyFileToContainer(MountableFile.forHostPath(jar.resolveSibling("bundles")),
          "/src/target/bundles");
      for (String f : new String[] {"deploy/install.sh", "deploy/debian/feishu-ipsync", "systemd/feishu-ipsync.service",
          "systemd/feishu-ipsync-restore.service", "deploy/debian/feishu-ipsync-restore", "README.md",
          "config/feishu-ipsync.yaml", "deploy/polkit/50-feishu-ipsync-firewalld.rules"}) {
        other.container().copyFileToContainer(MountableFile.forHostPath(Path.of(f)), "/src/" + f);
      }
      other.sh("bash /src/deploy/install.sh && echo 'state_dir: /x' >> /etc/feishu-ipsync/config.yaml"
          + " && bash /src/deploy/install.sh");
      assertTrue(other.sh("tail -1 /etc/feishu-ipsync/config.yaml").contains("state_dir: /x"), "config kept");
      assertEquals("drwx------ feishu-ipsync", other.sh("stat -c '%A %U' /var/lib/feishu-ipsync").strip());
      assertTrue(other.sh("feishu-ipsync --version").startsWith("feishu-ipsync "));
      assertEquals("-rw-r--r-- root", other.sh("stat -c '%A %U' /usr/share/feishu-ipsync/bundles/huaweicloud/*.jar"
          + " | sort -u").strip());
      assertTrue(other.sh("/usr/lib/feishu-ipsync/feishu-ipsync-restore /var/lib/feishu-ipsync")
          .contains("nothing to restore"));
    } finally {
      other.close();
    }
  }

  @Test
  void purgeRemovesThePackageButLeavesTheFirewallAlone() {
    Testbed other = Testbed.start();
    try {
      other.installPackage();
      other.sh("nft add table inet feishu_ipsync");
      other.sh("dpkg --purge feishu-ipsync");
      assertFalse(other.exec("id", "feishu-ipsync").ok(), "the user is removed");
      assertFalse(other.exec("test", "-e", "/var/lib/feishu-ipsync").ok());
      assertFalse(other.exec("test", "-e", "/etc/feishu-ipsync").ok());
      assertFalse(other.exec("test", "-e", "/usr/bin/feishu-ipsync").ok());
      assertTrue(other.exec("nft", "list", "table", "inet", "feishu_ipsync").ok(), "the firewall is left alone");
    } finally {
      other.close();
    }
  }
}

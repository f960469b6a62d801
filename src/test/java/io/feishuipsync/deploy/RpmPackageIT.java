package io.feishuipsync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.feishuipsync.testbed.Testbed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.utility.MountableFile;

/**
 * The RPM that {@code mvn package} builds beside the .deb, checked with Debian's {@code rpm} (no RPM distribution's
 * repositories can be reached here): its metadata, file list, modes, owners and config flags; its scriptlets, run
 * for real in a clean Debian container (the system user and the state directory on install, nothing started,
 * stopped and disabled on erase, user and data kept); and an install with {@code rpm} into a throwaway root, whose
 * launcher and jar then answer {@code --version}.
 */
class RpmPackageIT {

  @RegisterExtension
  static final Testbed bed = Testbed.perClass();
  static final Path RPM = Path.of(System.getProperty("feishuipsync.rpm", "target/feishu-ipsync.rpm"));

  @TempDir
  Path dir;

  /** Runs a host command; its output, failing the test when it exits non-zero. */
  static String run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }

  static String query(String format) throws IOException, InterruptedException {
    return run("rpm", "-qp", "--nosignature", "--qf", format, RPM.toString());
  }

  @Test
  void metadataFilesModesAndConfigFlags() throws Exception {
    assertEquals("feishu-ipsync noarch", query("%{NAME} %{ARCH}"));
    assertTrue(query("%{VERSION}").matches("\\d+\\.\\d+\\.\\d+"), query("%{VERSION}"));
    List<String> requires = run("rpm", "-qp", "--nosignature", "--requires", RPM.toString()).lines().toList();
    assertTrue(requires.contains("java-headless >= 1:17"), requires.toString());
    assertTrue(requires.contains("shadow-utils"), requires.toString());
    List<String> files = query("[%{FILEMODES:perms} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILEFLAGS:fflags} %{FILENAMES}\n]")
        .lines().map(String::strip).toList();
    Set<String> want = Set.of(
        "drwxr-x--- root feishu-ipsync  /etc/feishu-ipsync",
        "-rw-r----- root feishu-ipsync cn /etc/feishu-ipsync/config.yaml",
        "-rwxr-xr-x root root  /usr/bin/feishu-ipsync",
        "-rwxr-xr-x root root  /usr/lib/feishu-ipsync/feishu-ipsync-restore",
        "-rw-r--r-- root root  /usr/lib/systemd/system/feishu-ipsync.service",
        "-rw-r--r-- root root  /usr/lib/systemd/system/feishu-ipsync-restore.service",
        "-rw-r--r-- root root d /usr/share/doc/feishu-ipsync/README.md",
        "-rw-r--r-- root root  /usr/share/polkit-1/rules.d/50-feishu-ipsync-firewalld.rules",
        "-rw-r--r-- root root  /usr/share/feishu-ipsync/feishu-ipsync.jar",
        "drwxr-xr-x root root  /usr/share/feishu-ipsync/bundles/huaweicloud",
        "-rw-r--r-- root root  /usr/share/feishu-ipsync/bundles/huaweicloud/okhttp-4.12.0.jar");
    for (String w : want) {
      assertTrue(files.contains(w), "missing or different: " + w + " in\n" + String.join("\n", files));
    }
    // The same payload as the .deb's, apart from where Debian keeps the units (/lib/systemd/system).
    for (String f : debFiles()) {
      String onRhel = f.replaceFirst("^/lib/systemd/", "/usr/lib/systemd/");
      assertTrue(files.stream().anyMatch(l -> l.endsWith(" " + onRhel)), "in the .deb, not in the RPM: " + f);
    }
  }

  static List<String> debFiles() throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    String deb = System.getProperty("feishuipsync.deb", "target/feishu-ipsync.deb");
    for (String l : run("dpkg-deb", "-c", deb).lines().toList()) {
      if (l.startsWith("-")) {
        out.add(l.substring(l.indexOf("./") + 1));
      }
    }
    return out;
  }

  @Test
  void scriptletsCreateTheUserAndStartNothingAndAnEraseKeepsTheData() throws Exception {
    for (String s : List.of("PREIN", "POSTIN", "PREUN", "POSTUN")) {
      Path f = dir.resolve(s.toLowerCase());
      Files.writeString(f, query("%{" + s + "}"));
      bed.container().copyFileToContainer(MountableFile.forHostPath(f), "/opt/rpm-" + s.toLowerCase());
    }
    String post = query("%{POSTIN}").lines().filter(l -> !l.strip().startsWith("echo") && !l.startsWith("#"))
        .reduce("", (a, b) -> a + b + "\n");
    assertFalse(post.contains("systemctl start") || post.contains("--now"), "nothing is started on install: " + post);
    assertTrue(post.contains("systemctl --no-reload preset feishu-ipsync.service"), "the units get the preset");
    bed.sh("sh /opt/rpm-prein 1 && sh /opt/rpm-postin 1 >/dev/null");
    assertTrue(bed.sh("getent passwd feishu-ipsync").contains("/var/lib/feishu-ipsync"));
    assertTrue(bed.sh("getent passwd feishu-ipsync").contains("nologin"));
    assertEquals("drwx------ feishu-ipsync feishu-ipsync",
        bed.sh("stat -c '%A %U %G' /var/lib/feishu-ipsync").strip());
    // An upgrade runs them again with 2: nothing fails, nothing is made twice.
    bed.sh("sh /opt/rpm-prein 2 && sh /opt/rpm-postin 2 && sh /opt/rpm-preun 1 && sh /opt/rpm-postun 1");
    assertEquals("1", bed.sh("getent passwd | grep -c '^feishu-ipsync:'").strip());
    // An erase: the data and the user stay, as RPM packages leave them.
    bed.sh("echo state > /var/lib/feishu-ipsync/snapshot.json && sh /opt/rpm-preun 0 && sh /opt/rpm-postun 0");
    assertTrue(bed.sh("cat /var/lib/feishu-ipsync/snapshot.json").contains("state"));
    assertTrue(bed.sh("getent passwd feishu-ipsync").contains("feishu-ipsync"));
    assertTrue(query("%{PREUN}").contains("disable --now feishu-ipsync.service feishu-ipsync-restore.service"),
        "an erase stops and disables both units");
  }

  @Test
  void installedIntoAThrowawayRootItsLauncherAndJarRun() throws Exception {
    Path root = dir.resolve("root");
    Files.createDirectories(root);
    // No shell or user database in the root: the scriptlets are tested above; here the payload as rpm lays it down.
    run("rpm", "-i", "--root", root.toString(), "--nodeps", "--noscripts", "--nosignature", "--dbpath",
        root.resolve("var/lib/rpm").toString(), RPM.toString());
    assertTrue(run("rpm", "-q", "--root", root.toString(), "--dbpath", root.resolve("var/lib/rpm").toString(),
        "feishu-ipsync").startsWith("feishu-ipsync-"));
    assertTrue(Files.isRegularFile(root.resolve("usr/share/feishu-ipsync/feishu-ipsync.jar")));
    assertTrue(Files.isRegularFile(root.resolve("etc/feishu-ipsync/config.yaml")));
    // The launcher names the jar by its absolute path: run it in a mount namespace where the root's directory
    // stands at that path, so that the packaged launcher starts the packaged jar.
    // The mount point must exist on the host; one this test makes, it removes again.
    Path at = Path.of("/usr/share/feishu-ipsync");
    boolean made = !Files.exists(at);
    String version;
    try {
      Files.createDirectories(at);
      version = run("unshare", "--mount", "--propagation", "private", "sh", "-c", "mount --bind"
          + " \"$0/usr/share/feishu-ipsync\" /usr/share/feishu-ipsync && exec \"$0/usr/bin/feishu-ipsync\" --version",
          root.toString());
    } finally {
      if (made) {
        Files.deleteIfExists(at);
      }
    }
    assertTrue(version.strip().startsWith("feishu-ipsync "), version);
    assertTrue(version.contains(query("%{VERSION}")), version);
  }
}

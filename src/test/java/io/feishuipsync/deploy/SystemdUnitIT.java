package io.feishuipsync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unit passes {@code systemd-analyze verify} and rates "OK" (exposure 3.0 or lower) in its security analysis. */
class SystemdUnitIT {

  static final Path UNIT = Path.of("systemd/feishu-ipsync.service");

  @TempDir
  Path root;

  static CommandResult run(String... argv) throws Exception {
    try {
      return new ProcessCommandRunner().run(List.of(argv), new byte[0], Duration.ofMinutes(1));
    } catch (IOException e) {
      fail("systemd-analyze is needed for this test (Debian package systemd): " + e.getMessage());
      return null;
    }
  }

  @Test
  void unitVerifies() throws Exception {
    // A root holding the system's units and the launcher the unit names, so verify can check the whole unit.
    Path units = root.resolve("lib/systemd/system");
    Files.createDirectories(units);
    try (var files = Files.list(Path.of("/lib/systemd/system"))) {
      for (Path p : files.toList()) {
        if (Files.isRegularFile(p)) {
          Files.copy(p, units.resolve(p.getFileName()));
        }
      }
    }
    Files.copy(UNIT, units.resolve("feishu-ipsync.service"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path launcher = root.resolve("usr/bin/feishu-ipsync");
    Files.createDirectories(launcher.getParent());
    Files.copy(Path.of("deploy/debian/feishu-ipsync"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    // The shell the unit's xtables-lock ExecStartPre= runs, as on every Debian system.
    Path shell = root.resolve("bin/sh");
    Files.createDirectories(shell.getParent());
    Files.copy(Path.of("/bin/sh"), shell);
    CommandResult r = run("systemd-analyze", "verify", "--root=" + root, "feishu-ipsync.service");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertEquals("", r.stderr().strip(), "no warnings");
  }

  @Test
  void securityExposureIsOkOrBetter() throws Exception {
    CommandResult r = run("systemd-analyze", "security", "--offline=true", UNIT.toAbsolutePath().toString());
    Matcher m = Pattern.compile("Overall exposure level for feishu-ipsync.service: ([0-9.]+) (\\S+)")
        .matcher(r.stdout());
    assertTrue(m.find(), r.stdout() + r.stderr());
    double exposure = Double.parseDouble(m.group(1));
    assertTrue(exposure <= 3.0, "exposure " + exposure + " " + m.group(2));
  }
}

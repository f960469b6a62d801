package io.feishuipsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret files as a run as root reads them: a readable secret is warned about, a planted link is not followed. */
class CliSecretFileTest {

  static final String SECRET = "s3cr3t-from-file";

  @TempDir
  Path dir;

  Path etc;
  Path victim;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Files.getOwner(dir).getName().equals("root"), "a run as root");
    etc = Files.createDirectory(dir.resolve("etc"));
    victim = Files.writeString(dir.resolve("shadow"), "root:$6$hash\n");
  }

  CliRunner.Result checkConfig(Path secretFile) throws IOException {
    Path config = Files.writeString(etc.resolve("config.yaml"), """
        feishu:
          app_id: cli_a1b2c3
          app_secret_file: %s
        state_dir: %s
        writers:
          - type: dryrun
        """.formatted(secretFile, dir.resolve("state")));
    return CliRunner.run(Map.of(), List.of("--config", config.toString(), "check-config"));
  }

  @Test
  void aSecretFileEveryAccountMayReadGivesOneWarningWithItsPathAndMode() throws IOException {
    Path secret = Files.writeString(etc.resolve("app_secret"), SECRET + "\n");
    Files.setAttribute(secret, "unix:mode", 0644);
    CliRunner.Result r = checkConfig(secret);
    assertEquals(0, r.exit(), r.toString());
    assertEquals(1, r.log().lines().count(), r.log());
    assertTrue(r.log().contains("WARN  SecretFiles: feishu.app_secret_file: " + secret + " is readable by every"
        + " account (mode 0644); make it 0600, or 0640 with group feishu-ipsync"), r.log());
    assertFalse((r.out() + r.err() + r.log()).contains(SECRET));

    Files.setAttribute(secret, "unix:mode", 0640);
    assertEquals("", checkConfig(secret).log(), "a private secret is no news");
  }

  @Test
  void aLinkInADirectoryOthersMayWriteIsNotFollowed() throws IOException {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setAttribute(shared, "unix:mode", 0777);
    Path link = Files.createSymbolicLink(shared.resolve("app_secret"), victim);
    CliRunner.Result r = checkConfig(link);
    assertEquals(2, r.exit(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("feishu.app_secret_file: cannot read " + link + ": is a symbolic link, not followed:"
        + " directory " + shared + " (owner root, mode 0777) is writable by every account"), r.err());
    assertFalse((r.out() + r.err() + r.log()).contains("$6$hash"));
  }

  @Test
  void aConfigFileThatIsALinkInADirectoryOthersMayWriteIsNotFollowed() throws IOException {
    Path secret = Files.writeString(etc.resolve("app_secret"), SECRET);
    Files.setAttribute(secret, "unix:mode", 0600);
    checkConfig(secret);
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setAttribute(shared, "unix:mode", 0777);
    Path link = Files.createSymbolicLink(shared.resolve("config.yaml"), etc.resolve("config.yaml"));
    CliRunner.Result r = CliRunner.run(Map.of(), List.of("--config", link.toString(), "check-config"));
    assertEquals(2, r.exit(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(link + ": cannot read: " + link + ": is a symbolic link, not followed: directory "
        + shared + " (owner root, mode 0777) is writable by every account"), r.err());
  }

  @Test
  void aLinkInATrustedDirectoryIsFollowedAsMountedSecretsUseThem() throws IOException {
    Path data = Files.createDirectory(etc.resolve("..data"));
    Path secret = Files.writeString(data.resolve("app_secret"), SECRET);
    Files.setAttribute(secret, "unix:mode", 0600);
    CliRunner.Result r = checkConfig(Files.createSymbolicLink(etc.resolve("app_secret"), secret));
    assertEquals(0, r.exit(), r.toString());
  }
}

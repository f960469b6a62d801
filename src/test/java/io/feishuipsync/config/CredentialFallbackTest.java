package io.feishuipsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.SourceTypes;
import io.feishuipsync.cli.WriterTypes;
import io.feishuipsync.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A credential systemd announced ($CREDENTIALS_DIRECTORY set) that cannot be read is reported as unreadable, with
 * its path, the reason and the documented fallback, never as "missing". SystemdBootIT shows the real case: systemd
 * 252 in a container falls back to a root-only credentials directory.
 */
class CredentialFallbackTest {

  static final String CONFIG = "feishu:\n  app_id: cli_a1b2c3\n  app_secret: ${FEISHU_APP_SECRET:-}\n"
      + "state_dir: /tmp/feishu-ipsync-test\nwriters:\n  - type: dryrun\n";

  @TempDir
  Path dir;

  ConfigException error(Path credentials) {
    ConfigLoader loader = new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL,
        Map.of("CREDENTIALS_DIRECTORY", credentials.toString())::get);
    return assertThrows(ConfigException.class, () -> loader.parse(CONFIG, dir.resolve("config.yaml")));
  }

  @Test
  void aCredentialThatIsThereButCannotBeReadSaysSoWithPathReasonAndFallback() throws IOException {
    // A directory where the file should be: there, and unreadable whoever runs the test (root included).
    Path credentials = Files.createDirectories(dir.resolve("credentials/app_secret")).getParent();
    ConfigException e = error(credentials);
    assertEquals("$CREDENTIALS_DIRECTORY/app_secret: set, but the credential cannot be read: " + credentials
        + "/app_secret: Is a directory; systemd passed it where this user cannot read it (LoadCredential= in a"
        + " container can do that): use feishu.app_secret_file instead, a file of mode 0640 in group feishu-ipsync",
        e.getMessage());
  }

  @Test
  void aCredentialThatIsNotThereIsStillMissing() {
    ConfigException e = error(dir);
    assertTrue(e.getMessage().startsWith("feishu.app_secret: missing;"), e.getMessage());
  }
}

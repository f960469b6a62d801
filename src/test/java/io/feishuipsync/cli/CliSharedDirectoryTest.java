package io.feishuipsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.feishuipsync.config.TestConfig;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sudo feishu-ipsync sync} (these tests run as root) with a file writer and the metrics textfile in
 * directories another account may write, against a real HTTP server playing Feishu.
 */
class CliSharedDirectoryTest {

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  Path state;
  Path www;
  Path textfiles;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Files.getOwner(dir).getName().equals("root"), "chown needs root");
    feishu.entries(FakeFeishu.docAddresses(3));
    state = dir.resolve("state");
    www = Files.createDirectory(dir.resolve("www"));
    textfiles = Files.createDirectory(dir.resolve("textfiles"));
  }

  CliRunner.Result sync(String writerExtra, String metricsExtra) throws IOException {
    Path config = TestConfig.pointedAt(feishu, state)
        .section("metrics:\n  textfile: " + textfiles.resolve("feishu-ipsync.prom") + "\n" + metricsExtra)
        .fileWriter(www.resolve("allow.conf"), writerExtra).writeTo(dir.resolve("config.yaml"));
    return CliRunner.withConfig(config, "sync");
  }

  @Test
  void aWriterDirectoryOthersMayWriteIsRefusedWithOneLineAndNothingChanges() throws IOException {
    Files.setAttribute(www, "unix:mode", 0777);
    CliRunner.Result r = sync("", "");
    assertEquals(5, r.exit(), r.toString());
    assertEquals("feishu-ipsync: nothing applied, a writer cannot run here: file:" + www.resolve("allow.conf")
        + ": refused: directory " + www + " (owner root, mode 0777) is writable by every account, which could"
        + " replace the allowlist or redirect this write; set allow_shared_directory: true on this writer to accept"
        + " it\n", r.err());
    try (var files = Files.list(www)) {
      assertEquals(List.of(), files.toList(), "nothing written in the shared directory");
    }
    assertFalse(Files.exists(state.resolve("snapshot.json")), "no snapshot advanced");
  }

  @Test
  void theSettingsAcceptSharedDirectoriesExplicitly() throws IOException {
    Files.setAttribute(www, "unix:uid", 65534);
    Files.setAttribute(textfiles, "unix:uid", 65534);
    CliRunner.Result r = sync("allow_shared_directory: true", "  allow_shared_directory: true");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(Files.readString(www.resolve("allow.conf")).contains("198.51.100.1/32"));
    assertTrue(Files.exists(textfiles.resolve("feishu-ipsync.prom")));
  }

  @Test
  void aTextfileDirectoryOfAnotherAccountIsSkippedWithAWarningAndTheSyncStillSucceeds() throws IOException {
    Files.setAttribute(textfiles, "unix:uid", 65534);
    Path planted = Files.createSymbolicLink(textfiles.resolve("feishu-ipsync.prom"), dir.resolve("victim"));
    CliRunner.Result r = sync("", "");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(1, r.log().lines().count(), r.log());
    assertTrue(r.log().contains("WARN  SyncMetrics: not writing the metrics textfile " + planted + ": directory "
        + textfiles + " (owner nobody, mode 0755) belongs to another account, which could replace it or redirect"
        + " this write; set metrics.allow_shared_directory: true to accept it"), r.log());
    assertTrue(Files.isSymbolicLink(planted));
    assertFalse(Files.exists(dir.resolve("victim")), "nothing written through the planted link");
  }
}

package io.feishuipsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.feishuipsync.cli.CliRunner;
import io.feishuipsync.config.TestConfig;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.nio.file.Path;

/** Where the hostile-answer tests start: a file writer in {@code dir}, two attempts of 1s, synced to 100 addresses. */
final class SyncedOnce {

  private SyncedOnce() {}

  /** Writes the config in {@code dir}, runs one successful sync and returns the config. */
  static Path config(FakeFeishu feishu, Path dir) throws IOException {
    Path config = TestConfig.inDir(feishu, dir).feishu("response_timeout: 1s\nmax_attempts: 2").fileWriter().write();
    feishu.entries(FakeFeishu.docAddresses(100));
    CliRunner.Result first = CliRunner.withConfig(config, "sync");
    assertEquals(0, first.exit(), first.toString());
    return config;
  }
}

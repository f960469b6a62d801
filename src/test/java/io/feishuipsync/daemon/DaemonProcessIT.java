package io.feishuipsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.TestConfig;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar run as a real daemon process: start, one instance only, SIGTERM. */
class DaemonProcessIT {

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  Path config;
  Path allow;

  @BeforeEach
  void setUp() throws IOException {
    feishu.entries(FakeFeishu.docAddresses(30));
    allow = dir.resolve("allow.conf");
    config = TestConfig.inDir(feishu, dir).section("schedule:\n  interval: 6h")
        .section("logging:\n  format: json\n  level: debug").fileWriter().write();
  }

  Process start(String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> argv = new ArrayList<>(List.of(java, "-jar", System.getProperty("feishuipsync.jar",
        "target/feishu-ipsync.jar"), "--config", config.toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(false);
    pb.environment().put("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET);
    pb.redirectOutput(dir.resolve("out-" + args[0] + "-" + System.nanoTime()).toFile());
    pb.redirectError(ProcessBuilder.Redirect.PIPE);
    return pb.start();
  }

  @Test
  void daemonSyncsAtStartRefusesASecondInstanceAndStopsCleanlyOnSigterm() throws Exception {
    Process daemon = start("run");
    try {
      for (int i = 0; i < 300 && !Files.exists(allow); i++) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(allow), "the first sync ran at start");
      assertEquals(30, Files.readAllLines(allow).stream().filter(l -> !l.startsWith("#")).count());

      String cmdline = Files.readString(Path.of("/proc/" + daemon.pid() + "/cmdline"));
      assertFalse(cmdline.contains(FakeFeishu.APP_SECRET), "the secret is not on the command line");

      Process second = start("run");
      assertTrue(second.waitFor(60, TimeUnit.SECONDS));
      assertEquals(1, second.exitValue());
      String err = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(err.contains("another feishu-ipsync (pid " + daemon.pid() + ")"), err);

      daemon.destroy(); // SIGTERM
      assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, daemon.exitValue(), "SIGTERM is a clean stop");
      assertTrue(Files.exists(allow), "stopping leaves the allowlist in place");

      String log;
      try (var files = Files.list(dir)) {
        Path out = files.filter(p -> p.getFileName().toString().startsWith("out-run")).sorted().findFirst()
            .orElseThrow();
        log = Files.readString(out);
      }
      assertTrue(log.lines().allMatch(l -> l.startsWith("{")), "json log lines: " + log);
      assertTrue(log.contains("received SIGTERM"), log);
      assertFalse(log.contains(FakeFeishu.APP_SECRET), "no secret in the debug log");
      assertFalse(log.contains("-token"), "no token in the debug log");
    } finally {
      daemon.destroyForcibly();
    }
  }
}

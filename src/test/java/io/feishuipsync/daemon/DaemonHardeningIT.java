package io.feishuipsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.config.TestConfig;
import io.feishuipsync.source.feishu.FakeFeishu.Delivery;
import io.feishuipsync.source.feishu.FakeFeishu.Fault;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launcher (its heap settings and JVM flags, unchanged) running the jar as a real process against a
 * hostile Feishu: a huge error body under -Xmx96m, and a stop during a long rate-limit wait or a hung request.
 */
class DaemonHardeningIT {

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  Path config;
  Path launcher;

  @BeforeEach
  void setUp() throws IOException {
    feishu.entries(FakeFeishu.docAddresses(30));
    config = TestConfig.inDir(feishu, dir).section("schedule:\n  interval: 6h")
        .section("metrics:\n  textfile: " + dir.resolve("metrics.prom")).section("logging:\n  format: json")
        .fileWriter().write();
    // The packaged launcher, pointed at the built jar and at no /etc/default file; its flags stay as shipped.
    String jar = Path.of(System.getProperty("feishuipsync.jar", "target/feishu-ipsync.jar")).toAbsolutePath()
        .toString();
    launcher = dir.resolve("feishu-ipsync");
    Files.writeString(launcher, Files.readString(Path.of("deploy/debian/feishu-ipsync"))
        .replace("/usr/share/feishu-ipsync/feishu-ipsync.jar", jar)
        .replace("/etc/default/feishu-ipsync", dir.resolve("no-defaults").toString()));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    assertTrue(Files.readString(launcher).contains("-Xmx96m"), "the packaged heap setting");
  }

  Process start(String command) throws IOException {
    List<String> argv = new ArrayList<>(List.of("sh", launcher.toString(), "--config", config.toString(), command));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET);
    pb.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
    pb.redirectOutput(dir.resolve("out-" + command).toFile());
    pb.redirectError(dir.resolve("err-" + command).toFile());
    return pb.start();
  }

  JsonNode status() throws IOException {
    Path p = dir.resolve("state/status.json");
    return Files.exists(p) ? new ObjectMapper().readTree(p.toFile()) : null;
  }

  JsonNode awaitStatus(String outcome) throws Exception {
    for (int i = 0; i < 600; i++) {
      JsonNode s = status();
      if (s != null && outcome.equals(s.path("last_attempt").path("outcome").asText())) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + outcome + " in status.json: " + status());
  }

  void awaitFile(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    for (int i = 0; i < 300; i++) {
      if (Files.exists(p) && read(name).contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + text + " in " + name + ": " + (Files.exists(p) ? read(name) : "missing"));
  }

  String read(String name) throws IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }

  @Test
  void aSixteenMegabyteErrorBodyUnderThePackagedHeapIsAFailureNotACrash() throws Exception {
    String huge = "{\"code\":1,\"msg\":\"" + "x".repeat(16_000_000) + "\"}";
    for (int i = 0; i < 10; i++) {
      feishu.failNextList(Fault.status(500, huge).delivered(Delivery.CHUNKED));
    }
    Process daemon = start("run");
    try {
      JsonNode s = awaitStatus("source_failed");
      assertTrue(s.path("last_attempt").path("message").asText().contains("larger than 1048576 bytes"), s.toString());
      // The textfile follows the status file: the daemon writes it once the run is recorded.
      awaitFile("metrics.prom", "feishu_ipsync_syncs_total{outcome=\"source_failed\"} 1");
      Thread.sleep(1000);
      assertTrue(daemon.isAlive(), "the daemon survives: " + read("err-run"));
      daemon.destroy();
      assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, daemon.exitValue());
    } finally {
      daemon.destroyForcibly();
    }
    String log = read("out-run");
    assertFalse(log.contains("OutOfMemoryError"), log);
    assertTrue(log.lines().allMatch(l -> l.startsWith("{") && l.endsWith("}")), "json log lines: " + log);

    feishu.heal();
    for (int i = 0; i < 10; i++) {
      feishu.failNextList(Fault.status(500, huge));
    }
    Process once = start("sync");
    assertTrue(once.waitFor(60, TimeUnit.SECONDS));
    String err = read("err-sync");
    assertEquals(3, once.exitValue(), err);
    assertEquals(1, err.strip().lines().count(), "one clear line: " + err);
    assertTrue(err.contains("larger than 1048576 bytes"), err);
    assertFalse(err.contains("OutOfMemoryError"), err);
  }

  void assertSigtermStopsPromptly(String what) throws Exception {
    Process daemon = start("run");
    try {
      for (int i = 0; i < 300 && feishu.requestCount() == 0; i++) {
        Thread.sleep(100);
      }
      assertTrue(feishu.requestCount() > 0, "the daemon asked Feishu");
      Thread.sleep(1500);
      assertTrue(daemon.isAlive(), read("err-run"));
      long start = System.nanoTime();
      daemon.destroy(); // SIGTERM
      boolean gone = daemon.waitFor(30, TimeUnit.SECONDS);
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.println("SIGTERM during " + what + ": the process was gone after " + ms + " ms");
      assertTrue(gone, "still running 30 s after SIGTERM");
      assertEquals(0, daemon.exitValue(), read("err-run"));
      assertTrue(ms < 15_000, "gone after " + ms + " ms");
    } finally {
      daemon.destroyForcibly();
    }
    JsonNode s = status();
    assertTrue(s != null && s.path("last_attempt").path("message").asText().contains("daemon is stopping"),
        String.valueOf(s));
    assertEquals("abandoned", s.path("last_attempt").path("outcome").asText(), String.valueOf(s));
    assertEquals(0, s.path("consecutive_failures").asInt(-1), "a stop is no failure: " + s);
    assertTrue(read("out-run").contains("received SIGTERM"), read("out-run"));
  }

  @Test
  void sigtermDuringAHundredSecondRateLimitWaitStopsWithinFifteenSeconds() throws Exception {
    feishu.answerEverything(Fault.rateLimited(100));
    assertSigtermStopsPromptly("a 100 s rate-limit wait");
  }

  @Test
  void sigtermDuringARequestFeishuNeverAnswersStopsWithinFifteenSeconds() throws Exception {
    feishu.answerEverything(Fault.slow(100_000));
    assertSigtermStopsPromptly("a request Feishu does not answer");
  }
}

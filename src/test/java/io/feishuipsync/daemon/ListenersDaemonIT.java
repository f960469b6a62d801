package io.feishuipsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.TestConfig;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar run as a real daemon serving a feed (behind basic authentication) and the metrics endpoint, both
 * on Jetty: sixty connections that never finish their headers keep neither from a real client, and the debug log
 * never shows the feed's password or Authorization header.
 */
class ListenersDaemonIT {

  static final String PASSWORD = "feed-pass-not-in-logs";

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Test
  void stalledClientsKeepNeitherTheFeedNorTheMetricsFromARealClient() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(30));
    int feedPort = freePort();
    final int metricsPort = freePort();
    Path config = TestConfig.inDir(feishu, dir).section("schedule:\n  interval: 6h")
        .section("logging:\n  format: json\n  level: debug")
        .section("metrics:\n  listen: 127.0.0.1:" + metricsPort)
        .writer("type: feed\nlisten: 127.0.0.1:" + feedPort + "\nusername: fw\npassword: " + PASSWORD).write();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-jar", System.getProperty("feishuipsync.jar",
        "target/feishu-ipsync.jar"), "--config", config.toString(), "run");
    pb.environment().put("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET);
    Path out = dir.resolve("daemon.log");
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    Process daemon = pb.start();
    List<Socket> stalled = new ArrayList<>();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest feed = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + feedPort + "/feishu-ipsync.txt"))
          .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("fw:" + PASSWORD)
              .getBytes(StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build();
      HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
          .timeout(Duration.ofSeconds(5)).build();
      String list = null;
      for (int i = 0; i < 600 && (list == null || list.lines().count() != 30); i++) {
        try {
          HttpResponse<String> r = http.send(feed, HttpResponse.BodyHandlers.ofString());
          list = r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
          // Not listening yet.
        }
        Thread.sleep(100);
      }
      assertEquals(30, list == null ? 0 : list.lines().count(), "the feed serves the first sync's list");

      for (int port : new int[] {feedPort, metricsPort}) {
        for (int i = 0; i < 30; i++) {
          Socket s = new Socket();
          s.bind(new InetSocketAddress("127.0.0." + (3 + i % 3), 0));
          s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
          s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
          stalled.add(s);
        }
      }
      for (int i = 0; i < 10; i++) {
        assertEquals(list, http.send(feed, HttpResponse.BodyHandlers.ofString()).body(), "feed request " + i);
        HttpResponse<String> m = http.send(metrics, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, m.statusCode());
        assertTrue(m.body().contains("feishu_ipsync_last_success_timestamp_seconds"), m.body());
      }
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
      daemon.destroy();
      assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
    }
    String log = Files.readString(out);
    assertFalse(log.contains(PASSWORD), "no feed password in the debug log");
    assertFalse(log.contains(Base64.getEncoder().encodeToString(("fw:" + PASSWORD).getBytes(StandardCharsets.UTF_8))),
        "no Authorization header in the debug log");
    // JSON escapes the slashes.
    assertTrue(log.contains("metrics at http:\\/\\/127.0.0.1:" + metricsPort + "\\/metrics"), log);
  }
}

package io.feishuipsync.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.SyncResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notifications received by a real local HTTP server that checks their signatures. */
class NotifierTest {

  static final String BOT_SECRET = "bot-signing-secret";
  static final String HOOK_SECRET = "hook-hmac-secret";

  @TempDir
  Path state;

  HttpServer server;
  final List<Map.Entry<String, JsonNode>> received = new ArrayList<>();
  final List<String> hookSignatures = new ArrayList<>();
  final List<String> hookMessages = new ArrayList<>();
  final MutableClock clock = new MutableClock();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/open-apis/bot/v2/hook/token-in-path", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (received) {
        received.add(Map.entry("bot", new ObjectMapper().readTree(body)));
      }
      byte[] out = "{\"code\":0,\"msg\":\"success\"}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.createContext("/hook", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (received) {
        received.add(Map.entry("hook", new ObjectMapper().readTree(body)));
        hookSignatures.add(ex.getRequestHeaders().getFirst("X-Feishu-Ipsync-Signature"));
        hookMessages.add(ex.getRequestHeaders().getFirst("X-Feishu-Ipsync-Timestamp") + "." + body);
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  Notifier notifier() {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    return new Notifier(new NotifySettings(
        new ChannelSettings(URI.create(base + "/open-apis/bot/v2/hook/token-in-path"), Secret.of(BOT_SECRET)),
        new ChannelSettings(URI.create(base + "/hook"), Secret.of(HOOK_SECRET)), 3, Duration.ofMinutes(10)),
        state, clock);
  }

  static SyncResult result(SyncResult.Outcome o, String msg, List<String> added, List<String> removed) {
    TreeSet<IpRange> a = new TreeSet<>();
    added.forEach(x -> a.add(IpRange.parse(x)));
    TreeSet<IpRange> r = new TreeSet<>();
    removed.forEach(x -> r.add(IpRange.parse(x)));
    return new SyncResult(o, msg, 5, a, r, o == SyncResult.Outcome.SUCCESS, false, List.of(), Instant.now(),
        Duration.ZERO, 2);
  }

  List<String> kinds() {
    return received.stream().filter(e -> e.getKey().equals("hook")).map(e -> e.getValue().path("event").asText())
        .toList();
  }

  @Test
  void changeIsSentToBothChannelsWithValidSignatures() throws Exception {
    notifier().after(result(SyncResult.Outcome.SUCCESS, "applied", List.of("198.51.100.7"), List.of("192.0.2.1")), 0);
    assertEquals(2, received.size());

    JsonNode bot = received.stream().filter(e -> e.getKey().equals("bot")).findFirst().orElseThrow().getValue();
    assertEquals("text", bot.path("msg_type").asText());
    assertTrue(bot.path("content").path("text").asText().contains("198.51.100.7/32"), bot.toString());
    String ts = bot.path("timestamp").asText();
    assertEquals(Long.toString(clock.instant().getEpochSecond()), ts);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec((ts + "\n" + BOT_SECRET).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(new byte[0])), bot.path("sign").asText());

    JsonNode hook = received.stream().filter(e -> e.getKey().equals("hook")).findFirst().orElseThrow().getValue();
    assertEquals("changed", hook.path("event").asText());
    assertEquals("198.51.100.7/32", hook.path("added").get(0).asText());
    assertEquals("192.0.2.1/32", hook.path("removed").get(0).asText());
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(HOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertEquals("sha256=" + HexFormat.of().formatHex(hmac.doFinal(hookMessages.get(0).getBytes(StandardCharsets.UTF_8))),
        hookSignatures.get(0));
  }

  @Test
  void theClusterWritersAlertAndRecoverApartFromTheNodesOwnSyncAndSaySo() {
    Notifier node = notifier();
    Notifier cluster = node.forCluster();
    SyncResult failed = result(SyncResult.Outcome.WRITER_FAILED, "writer failed: aws-security-group:sg-1: throttled",
        List.of(), List.of());
    node.after(failed, 3);
    assertEquals(List.of("failing"), kinds());
    // The node is already alerting; the cluster writers' failures are news of their own.
    cluster.after(failed, 3);
    assertEquals(List.of("failing", "failing"), kinds());
    JsonNode last = received.stream().filter(e -> e.getKey().equals("hook")).reduce((a, b) -> b).orElseThrow()
        .getValue();
    assertTrue(last.path("text").asText().startsWith("cluster writers: 3 syncs failed"), last.toString());
    cluster.after(result(SyncResult.Outcome.SUCCESS, "applied", List.of("198.51.100.7"), List.of()), 0);
    assertEquals(List.of("failing", "failing", "recovered", "changed"), kinds());
    assertTrue(state.resolve("notify-cluster.json").toFile().isFile());
    // The node's own sync is still alerting: its recovery is still to come.
    node.after(result(SyncResult.Outcome.SUCCESS, "unchanged", List.of(), List.of()), 0);
    assertEquals(List.of("failing", "failing", "recovered", "changed", "recovered"), kinds());
  }

  @Test
  void nothingIsSentWhenNothingChanged() {
    notifier().after(result(SyncResult.Outcome.SUCCESS, "unchanged", List.of(), List.of()), 0);
    assertEquals(0, received.size());
  }

  @Test
  void failingIsSentOnceAfterTheThresholdAndRecoveryOnce() {
    Notifier n = notifier();
    SyncResult failed = result(SyncResult.Outcome.SOURCE_FAILED, "fetch failed: timeout", List.of(), List.of());
    n.after(failed, 1);
    n.after(failed, 2);
    assertEquals(List.of(), kinds());
    n.after(failed, 3);
    n.after(failed, 4);
    clock.advance(Duration.ofHours(1));
    n.after(failed, 5);
    assertEquals(List.of("failing"), kinds());
    n.after(result(SyncResult.Outcome.SUCCESS, "unchanged", List.of(), List.of()), 0);
    n.after(result(SyncResult.Outcome.SUCCESS, "unchanged", List.of(), List.of()), 0);
    assertEquals(List.of("failing", "recovered"), kinds());
  }

  @Test
  void alertStateSurvivesARestart() {
    SyncResult failed = result(SyncResult.Outcome.WRITER_FAILED, "writer failed", List.of(), List.of());
    notifier().after(failed, 3);
    notifier().after(failed, 4);
    assertEquals(List.of("failing"), kinds());
  }

  @Test
  void sameRefusalIsSentOnceNotEveryRun() {
    Notifier n = notifier();
    SyncResult refused = result(SyncResult.Outcome.REFUSED, "refused: empty list", List.of(), List.of());
    n.after(refused, 1);
    clock.advance(Duration.ofMinutes(1));
    n.after(refused, 2);
    assertEquals(List.of("refused"), kinds());
    clock.advance(Duration.ofHours(1));
    n.after(refused, 3);
    assertEquals(List.of("refused", "refused"), kinds(), "repeated after min_interval");
  }

  @Test
  void changesAreRateLimited() {
    Notifier n = notifier();
    n.after(result(SyncResult.Outcome.SUCCESS, "applied", List.of("198.51.100.7"), List.of()), 0);
    clock.advance(Duration.ofMinutes(1));
    n.after(result(SyncResult.Outcome.SUCCESS, "applied", List.of("198.51.100.8"), List.of()), 0);
    assertEquals(List.of("changed"), kinds());
    clock.advance(Duration.ofMinutes(11));
    n.after(result(SyncResult.Outcome.SUCCESS, "applied", List.of("198.51.100.9"), List.of()), 0);
    assertEquals(List.of("changed", "changed"), kinds());
  }

  @Test
  void anUnreachableChannelNeverBreaksTheSync() {
    server.stop(0);
    notifier().after(result(SyncResult.Outcome.SUCCESS, "applied", List.of("198.51.100.7"), List.of()), 0);
  }
}

package io.feishuipsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.config.TestConfig;
import io.feishuipsync.source.feishu.FakeFeishu.Fault;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.state.StateLock;
import io.feishuipsync.state.StateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end: a real HTTP server plays Feishu, the file writer writes real files. */
class CliSyncTest {

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  Path state;
  Path allow;
  Path config;
  Path reloads;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    state = dir.resolve("state");
    allow = dir.resolve("allow.conf");
    reloads = dir.resolve("reloads");
    config = writeConfig("");
  }

  Path writeConfig(String feishuExtra) throws IOException {
    return TestConfig.pointedAt(feishu, state).feishu("response_timeout: 2s\n" + feishuExtra)
        .fileWriter(allow, "format: nginx\non_change: [\"/bin/sh\", \"-c\", \"echo reload >> " + reloads + "\"]")
        .writeTo(dir.resolve("config.yaml"));
  }

  Run cli(String... args) {
    CliRunner.Result c = CliRunner.withConfig(config, args);
    Run r = new Run(c.exit(), c.out(), c.err() + c.log());
    assertFalse(r.out.contains(FakeFeishu.APP_SECRET) || r.err.contains(FakeFeishu.APP_SECRET), r.toString());
    assertFalse(r.out.contains("-token") || r.err.contains("-token"), "a token leaked: " + r);
    return r;
  }

  /** Every file of the state directory with its content, to show a failed run changed nothing. */
  Map<String, String> stateFiles() throws IOException {
    Map<String, String> m = new TreeMap<>();
    if (Files.isDirectory(state)) {
      try (var files = Files.list(state)) {
        for (Path p : files.toList()) {
          if (!p.getFileName().toString().equals("status.json")) {
            m.put(p.getFileName().toString(), Files.readString(p));
          }
        }
      }
    }
    if (Files.exists(allow)) {
      m.put("allow.conf", Files.readString(allow));
    }
    return m;
  }

  void firstGoodSync() {
    feishu.entries(FakeFeishu.docAddresses(120));
    assertEquals(0, cli("sync").exit());
  }

  @Test
  void syncWritesTheFileAndASecondRunChangesNothing() throws IOException {
    feishu.entries(FakeFeishu.docAddresses(120));
    Run r = cli("sync");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("applied: 120 entries, +120 -0"), r.out());
    String file = Files.readString(allow);
    assertTrue(file.contains("allow 198.51.100.1/32;\n"), file);
    assertEquals(120, file.lines().filter(l -> l.startsWith("allow ")).count());
    assertTrue(file.endsWith("deny all;\n"));
    assertEquals(1, Files.readAllLines(reloads).size());
    assertEquals(1 + 3 + 3, feishu.requestCount(), "three pages, read twice to see they agree");

    Run again = cli("sync");
    assertEquals(0, again.exit());
    assertTrue(again.out().startsWith("unchanged: 120 entries"), again.out());
    assertEquals(1, Files.readAllLines(reloads).size(), "the reload command is not rerun");
    assertEquals(1, Files.readAllLines(state.resolve("history.jsonl")).size());
  }

  @Test
  void jsonOutputIsOneObject() throws IOException {
    firstGoodSync();
    feishu.entries(FakeFeishu.docAddresses(121).subList(1, 121));
    Run r = cli("sync", "--output", "json");
    assertEquals(0, r.exit());
    assertEquals(1, r.out().strip().lines().count());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals(120, n.get("total").asInt());
    assertEquals("198.51.100.121/32", n.get("added").get(0).asText());
    assertEquals("198.51.100.1/32", n.get("removed").get(0).asText());
    assertTrue(n.get("applied").asBoolean());
    assertEquals("file:" + allow, n.get("writers").get(0).get("name").asText());
    assertEquals("changed", n.get("writers").get(0).get("outcome").asText());
  }

  @Test
  void tokenExpiringMidListingStillSucceeds() {
    feishu.entries(FakeFeishu.docAddresses(120));
    feishu.invalidateTokensAfterPages(1);
    Run r = cli("sync");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(2, feishu.tokenRequests());
    assertEquals(1 + 1 + 1 + 1 + 3 + 3, feishu.requestCount());
  }

  @Test
  void rateLimitIsWaitedOut() {
    feishu.entries(FakeFeishu.docAddresses(10));
    feishu.failNextList(Fault.rateLimited(1));
    long start = System.nanoTime();
    Run r = cli("sync");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(System.nanoTime() - start >= 1_000_000_000L, "waited the reset time");
    assertEquals(3, feishu.requestCount());
  }

  @Test
  void serverErrorThenSuccess() {
    feishu.entries(FakeFeishu.docAddresses(10));
    feishu.failNextList(Fault.status(500, "internal error"));
    assertEquals(0, cli("sync").exit());
    assertEquals(3, feishu.requestCount());
  }

  @Test
  void malformedJsonFailsWithExit3AndChangesNothing() throws IOException {
    firstGoodSync();
    Map<String, String> before = stateFiles();
    int requestsBefore = feishu.requestCount();
    feishu.failNextList(Fault.status(200, "{\"code\":0,\"data\":"));
    Run r = cli("sync");
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.err().contains("not JSON"), r.err());
    assertEquals(1 + 1, feishu.requestCount() - requestsBefore, "a token and one page, no retry");
    assertEquals(before, stateFiles());
  }

  @Test
  void emptyListIsRefusedWithExit4AndChangesNothing() throws IOException {
    firstGoodSync();
    Map<String, String> before = stateFiles();
    feishu.entries(List.of());
    Run r = cli("sync");
    assertEquals(4, r.exit(), r.toString());
    assertTrue(r.err().contains("empty list"), r.err());
    assertEquals(before, stateFiles());
  }

  @Test
  void massRemovalIsRefusedUnlessForced() throws IOException {
    firstGoodSync();
    Map<String, String> before = stateFiles();
    feishu.entries(FakeFeishu.docAddresses(10));
    Run refused = cli("sync");
    assertEquals(4, refused.exit(), refused.toString());
    assertTrue(refused.err().contains("removes 110 of 120"), refused.err());
    assertEquals(before, stateFiles());

    Run forced = cli("sync", "--force");
    assertEquals(0, forced.exit(), forced.toString());
    assertEquals(10, Files.readString(allow).lines().filter(l -> l.startsWith("allow ")).count());
  }

  @Test
  void loopingPageTokenFailsWithExit3() throws IOException {
    firstGoodSync();
    Map<String, String> before = stateFiles();
    int requestsBefore = feishu.requestCount();
    feishu.loopingPageToken("same");
    Run r = cli("sync");
    assertEquals(3, r.exit(), r.toString());
    assertEquals(1 + 2, feishu.requestCount() - requestsBefore, "a token and two pages");
    assertEquals(before, stateFiles());
  }

  @Test
  void invalidEntryFailsWithExit3AndChangesNothing() throws IOException {
    firstGoodSync();
    Map<String, String> before = stateFiles();
    List<String> list = new ArrayList<>(FakeFeishu.docAddresses(120));
    list.set(70, "1.2.3.4; flush ruleset");
    feishu.entries(list);
    Run r = cli("sync");
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.err().contains("\"1.2.3.4; flush ruleset\""), r.err());
    assertEquals(before, stateFiles());
  }

  @Test
  void wrongSecretFailsWithExit3InOneLine() throws IOException {
    firstGoodSync();
    Map<String, String> before = stateFiles();
    int requestsBefore = feishu.requestCount();
    feishu.secret("the-real-secret-changed");
    Run r = cli("sync");
    assertEquals(3, r.exit(), r.toString());
    String line = r.err().lines().filter(l -> l.startsWith("feishu-ipsync:")).findFirst().orElseThrow();
    assertTrue(line.contains("rejected the app credentials") && line.contains("code 10014")
        && line.contains("log id"), line);
    assertEquals(1, feishu.requestCount() - requestsBefore);
    assertEquals(before, stateFiles());
  }

  @Test
  void serverSlowerThanTheTimeoutFailsWithExit3() throws IOException {
    config = writeConfig("max_attempts: 2");
    Files.writeString(config, Files.readString(config).replace("response_timeout: 2s", "response_timeout: 300ms"));
    feishu.failNextList(Fault.slow(2000), Fault.slow(2000));
    Run r = cli("sync");
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.err().contains("timeout"), r.err());
    assertEquals(3, feishu.requestCount());
    assertFalse(Files.exists(allow));
    assertFalse(Files.exists(state.resolve("snapshot.json")));
  }

  @Test
  void dryRunChangesNothing() {
    feishu.entries(FakeFeishu.docAddresses(5));
    Run r = cli("sync", "--dry-run");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("would_change"), r.out());
    assertFalse(Files.exists(allow));
    assertFalse(Files.exists(state));
  }

  @Test
  void concurrentSyncIsRefused() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(5));
    try (StateLock held = StateLock.acquire(new StateStore(state))) {
      Run r = cli("sync");
      assertEquals(1, r.exit());
      assertTrue(r.err().contains("another feishu-ipsync"), r.err());
    }
    assertEquals(0, feishu.requestCount(), "refused before contacting Feishu");
  }

  @Test
  void secretAndTokenNeverReachTheLogAtDebug() throws IOException {
    feishu.entries(FakeFeishu.docAddresses(60));
    Run r = cli("-v", "sync");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.err().contains("DEBUG"), "debug logging was on: " + r.err());
    // cli() asserts the secret and every token are absent from stdout, stderr and the log.
    for (Path p : List.of(state.resolve("snapshot.json"), state.resolve("status.json"),
        state.resolve("history.jsonl"))) {
      String content = Files.readString(p);
      assertFalse(content.contains(FakeFeishu.APP_SECRET) || content.contains("-token"), p.toString());
    }
    Run status = cli("status");
    assertEquals(0, status.exit());
  }

  @Test
  void statusShowsTheLastRun() {
    firstGoodSync();
    feishu.failNextList(Fault.status(200, "nonsense"));
    cli("sync");
    Run r = cli("status");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("120 entries"), r.out());
    assertTrue(r.out().contains("source_failed"), r.out());
    assertTrue(r.out().contains("consecutive failures: 1"), r.out());
    assertTrue(r.out().contains("file:" + allow), r.out());
  }

  @Test
  void statusWorksWithoutTheSecret() throws IOException {
    firstGoodSync();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = Cli.execute(new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream()),
        Map.<String, String>of()::get, "--config", config.toString(), "status", "--output", "json");
    assertEquals(0, exit);
    JsonNode n = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertEquals(120, n.path("snapshot").path("entries").asInt());
  }

  @Test
  void checkConfigAcceptsAGoodFileAndNamesTheBadKey() throws IOException {
    Run ok = cli("check-config");
    assertEquals(0, ok.exit(), ok.toString());
    assertTrue(ok.out().contains("config OK"), ok.out());
    assertEquals(0, feishu.requestCount());

    Run online = cli("check-config", "--online");
    assertEquals(0, online.exit(), online.toString());
    assertEquals(1, feishu.tokenRequests());

    feishu.secret("changed");
    Run rejected = cli("check-config", "--online");
    assertEquals(2, rejected.exit(), rejected.toString());

    Files.writeString(config, Files.readString(config).replace("format: nginx", "format: nginx\n    colour: red"));
    Run bad = cli("check-config");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("writers[0].colour: unknown key"), bad.err());
    assertTrue(bad.err().contains(config.toString()), bad.err());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
  }

  @Test
  void usageErrorsExit2() {
    assertEquals(2, cli("sync", "--output", "xml").exit());
    assertEquals(2, cli("frobnicate").exit());
  }

  @Test
  void versionAndHelpExit0() {
    Run v = cli("--version");
    assertEquals(0, v.exit());
    assertTrue(v.out().startsWith("feishu-ipsync "), v.out());
    Run h = cli("--help");
    assertEquals(0, h.exit());
    assertTrue(h.out().contains("check-config") && h.out().contains("Exit codes"), h.out());
  }

  @Test
  void syncWritesMetricsTextfileAndNotifiesTheWebhook() throws Exception {
    List<String> events = new ArrayList<>();
    com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/hook", ex -> {
      synchronized (events) {
        events.add(new ObjectMapper().readTree(ex.getRequestBody()).path("event").asText());
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    hook.start();
    try {
      Path prom = dir.resolve("feishu-ipsync.prom");
      Files.writeString(config, Files.readString(config) + "metrics:\n  textfile: " + prom + "\nnotify:\n"
          + "  webhook:\n    url: http://127.0.0.1:" + hook.getAddress().getPort() + "/hook\n");
      feishu.entries(FakeFeishu.docAddresses(5));
      assertEquals(0, cli("sync").exit());
      assertEquals(List.of("changed"), events);
      String metrics = Files.readString(prom);
      assertTrue(metrics.contains("feishu_ipsync_writer_entries{writer=\"file:" + allow + "\"} 5.0"), metrics);
      assertEquals(0, cli("sync").exit());
      assertEquals(List.of("changed"), events, "nothing changed, nothing sent");
    } finally {
      hook.stop(0);
    }
  }
}

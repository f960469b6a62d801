package io.feishuipsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.cli.CliRunner;
import io.feishuipsync.source.StandIn.Answer;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.source.github.FakeGithub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feishu and GitHub beside each other end to end: each sender's label in the run's JSON, in {@code status}, in
 * history and in the metrics; GitHub failing keeps its addresses and is reported as its own.
 */
class MixedSendersCliTest {

  @TempDir
  Path dir;
  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  FakeGithub github;
  SenderCli cli;

  @BeforeEach
  void setUp() throws Exception {
    github = new FakeGithub().hooks("203.0.113.0/24");
    feishu.entries(List.of("198.51.100.1", "198.51.100.2"));
    cli = new SenderCli(dir, Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET));
    cli.config("  - type: feishu\n    name: bot\n    base_url: " + feishu.baseUrl() + "\n    app_id: "
        + FakeFeishu.APP_ID + "\n    app_secret: ${FEISHU_APP_SECRET}\n    max_attempts: 1\n"
        + "  - type: github\n    name: github\n    base_url: " + github.baseUrl() + "\n");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, Files.readString(config).replace("writers:\n", "metrics:\n  textfile: "
        + dir.resolve("metrics/ipsync.prom") + "\nwriters:\n"));
    Files.createDirectories(dir.resolve("metrics"));
  }

  @AfterEach
  void tearDown() {
    github.close();
  }

  @Test
  void eachSenderIsLabelledEverywhereAndAFailingOneKeepsItsAddresses() throws Exception {
    JsonNode run = new ObjectMapper().readTree(cli.run("sync", "--output", "json").out());
    assertEquals("success", run.path("outcome").asText(), run.toString());
    assertEquals("bot", run.path("sources").get(0).path("name").asText());
    assertEquals("github", run.path("sources").get(1).path("name").asText());
    assertEquals(1, run.path("sources").get(1).path("entries").asInt());

    String history = Files.readString(dir.resolve("state/history.jsonl"));
    assertTrue(history.contains("\"github\"") && history.contains("\"bot\""), history);
    String metrics = Files.readString(dir.resolve("metrics/ipsync.prom"));
    assertTrue(metrics.contains("source=\"github\""), metrics);

    for (int i = 0; i < 5; i++) {
      github.next(Answer.json(503, "{\"message\":\"unavailable\"}"));
    }
    feishu.entries(List.of("198.51.100.1", "198.51.100.2", "198.51.100.3"));
    CliRunner.Result partial = cli.run("sync");
    assertEquals(6, partial.exit(), "partial: " + partial);
    assertTrue((partial.out() + partial.err()).contains("github: gave up on the meta API after 5 attempts"),
        partial.toString());
    assertTrue(cli.held().contains("203.0.113.0/24") && cli.held().contains("198.51.100.3/32"), cli.held());

    String status = cli.run("status").out();
    assertTrue(status.matches("(?s).*\\n  bot +3 entries, fetched .*"), status);
    assertTrue(status.matches("(?s).*\\n  github +1 entries, fetched .*"), status);
  }
}

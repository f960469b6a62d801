package io.feishuipsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.source.feishu.FakeFeishu.Fault;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Own entries, removal grace and two apps end to end: two real HTTP servers play Feishu and Lark, each app with
 * its own secret, and the file writer writes a real file.
 */
class CliSourcesTest {

  static final String LARK_SECRET = "lark-APP-secret-value";

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  @RegisterExtension
  final FakeFeishu lark = FakeFeishu.perTest();
  Path allow;
  Path config;

  @BeforeEach
  void setUp() {
    allow = dir.resolve("allow.conf");
    lark.appId("cli_lark_app").secret(LARK_SECRET);
  }

  Path write(String apps, String extra) throws IOException {
    return Files.writeString(dir.resolve("config.yaml"), apps + FakeFeishu.LAB_VALIDATION + "\nstate_dir: "
        + dir.resolve("state") + "\n" + extra + "writers:\n  - type: file\n    path: " + allow + "\n");
  }

  String twoApps() {
    return "feishu:\n"
        + "  - name: feishu\n    base_url: " + feishu.baseUrl() + "\n    app_id: " + FakeFeishu.APP_ID
        + "\n    app_secret: ${FEISHU_APP_SECRET}\n    max_attempts: 1\n"
        + "  - name: lark\n    base_url: " + lark.baseUrl() + "\n    app_id: cli_lark_app"
        + "\n    app_secret: ${LARK_APP_SECRET}\n    max_attempts: 1\n";
  }

  String oneApp() {
    return "feishu:\n  base_url: " + feishu.baseUrl() + "\n  app_id: " + FakeFeishu.APP_ID
        + "\n  app_secret: ${FEISHU_APP_SECRET}\n  max_attempts: 1\n";
  }

  CliRunner.Result cli(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    CliRunner.Result r = CliRunner.run(Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET,
        "LARK_APP_SECRET", LARK_SECRET), all);
    String said = r.out() + r.err() + r.log();
    assertFalse(said.contains(FakeFeishu.APP_SECRET) || said.contains(LARK_SECRET), "a secret leaked: " + r);
    return r;
  }

  String allowed() throws IOException {
    return Files.readString(allow);
  }

  @Test
  void theUnionOfTwoAppsIsAppliedAndAFailedAppKeepsItsAddresses() throws IOException {
    feishu.entries(List.of("198.51.100.1", "198.51.100.2"));
    lark.entries(List.of("203.0.113.1", "203.0.113.2"));
    config = write(twoApps(), "also_allow: [10.1.2.3]\n");
    CliRunner.Result first = cli("sync");
    assertEquals(0, first.exit(), first.toString());
    assertTrue(first.out().contains("sources: feishu 2, lark 2, config 1"), first.out());
    for (String a : List.of("198.51.100.1/32", "203.0.113.2/32", "10.1.2.3/32")) {
      assertTrue(allowed().contains(a), a + " in " + allowed());
    }

    lark.answerEverything(Fault.status(503, "down"));
    feishu.entries(List.of("198.51.100.1", "198.51.100.2", "198.51.100.3"));
    CliRunner.Result partial = cli("sync");
    assertEquals(6, partial.exit(), partial.toString());
    assertTrue(partial.out().startsWith("partial, applied: 6 entries"), partial.out());
    assertTrue(partial.out().contains("lark 2 (failed; last good list of "), partial.out());
    assertTrue(allowed().contains("203.0.113.1/32") && allowed().contains("198.51.100.3/32"), allowed());

    CliRunner.Result status = cli("status");
    assertTrue(status.out().contains("sources:\n  feishu"), status.out());
    assertTrue(status.out().matches("(?s).*  lark +2 entries, fetched \\S+ \\(\\d+s ago\\).*"), status.out());
    assertTrue(status.out().contains("  config            1 entries (also_allow)"), status.out());
    JsonNode json = new ObjectMapper().readTree(cli("status", "--output", "json").out());
    assertEquals(2, json.path("snapshot").path("sources").path("lark").path("entries").asInt());
    assertEquals("partial", json.path("status").path("last_attempt").path("outcome").asText());

    lark.heal().secret(LARK_SECRET).entries(List.of());
    CliRunner.Result refused = cli("sync");
    assertEquals(4, refused.exit(), refused.toString());
    assertTrue(refused.err().contains("lark: the source returned an empty list"), refused.err());
    assertTrue(allowed().contains("203.0.113.1/32"));
  }

  @Test
  void ownEntriesAreAppliedWhenTheFetchFailsAndAFirstFailedRunHoldsOnlyThem() throws IOException {
    config = write(oneApp(), "also_allow: [10.1.2.3]\n");
    feishu.answerEverything(Fault.status(503, "down"));
    CliRunner.Result none = cli("sync");
    assertEquals(3, none.exit(), none.toString());
    assertEquals(List.of("10.1.2.3/32"), allowed().lines().filter(l -> !l.startsWith("#")).toList(),
        "no list yet: closed to all but the operator's own entries");
    assertTrue(none.err().contains("the protected ports are closed to all but loopback and your own entries"),
        none.toString());

    feishu.heal().entries(List.of("198.51.100.1"));
    assertEquals(0, cli("sync").exit());
    config = write(oneApp(), "also_allow: [10.1.2.3, 10.9.9.0/24]\n");
    feishu.answerEverything(Fault.status(503, "down"));
    CliRunner.Result failed = cli("sync");
    assertEquals(3, failed.exit(), failed.toString());
    assertTrue(allowed().contains("10.9.9.0/24") && allowed().contains("198.51.100.1/32"), allowed());
  }

  @Test
  void pendingRemovalsPlantedInTheSnapshotFileAreRefusedAndNothingChanges() throws IOException {
    // The reproduction of the trust review: the whole IPv4 space as two pending removals dated 2099.
    config = write(oneApp(), "removal:\n  confirmations: 2\n  grace: 1h\n");
    feishu.entries(List.of("203.0.113.10", "203.0.113.20"));
    assertEquals(0, cli("sync").exit());
    String before = allowed();
    Path snapshot = dir.resolve("state").resolve("snapshot.json");
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(snapshot));
    com.fasterxml.jackson.databind.node.ArrayNode pending = root.putArray("pending");
    for (String a : List.of("0.0.0.0/1", "128.0.0.0/1")) {
      pending.addObject().put("address", a).put("missing_since", "2099-01-01T00:00:00Z").put("misses", 1)
          .put("source", "feishu");
    }
    Files.writeString(snapshot, root.toString());

    CliRunner.Result r = cli("sync");
    assertEquals(4, r.exit(), r.toString());
    assertTrue(r.err().contains("refused, nothing applied: the snapshot in " + dir.resolve("state")
        + " holds the pending removal 0.0.0.0/1 missing since 2099-01-01T00:00:00Z, in the future"), r.err());
    assertEquals(before, allowed(), "the file writer holds what it held");
  }

  @Test
  void aRemovedAddressWaitsForItsConfirmationsAndPruneRemovesItAtOnce() throws IOException {
    config = write(oneApp(), "removal:\n  confirmations: 3\n  grace: 1h\n");
    feishu.entries(List.of("198.51.100.1", "198.51.100.2"));
    assertEquals(0, cli("sync").exit());
    feishu.entries(List.of("198.51.100.1"));
    CliRunner.Result held = cli("sync");
    assertEquals(0, held.exit(), held.toString());
    assertTrue(allowed().contains("198.51.100.2/32"), allowed());
    CliRunner.Result status = cli("status");
    assertTrue(status.out().matches("(?s).*pending removals:\n  198\\.51\\.100\\.2/32 +missing since \\S+ \\(1 of 3"
        + " fetches\\), removable after \\S+\n.*"), status.out());

    CliRunner.Result pruned = cli("sync", "--prune");
    assertEquals(0, pruned.exit(), pruned.toString());
    assertFalse(allowed().contains("198.51.100.2/32"), allowed());
    List<String> history = Files.readAllLines(dir.resolve("state/history.jsonl"));
    assertTrue(history.get(history.size() - 1).contains("\"removed\":[\"198.51.100.2/32\"]"), history.toString());
    assertFalse(cli("status").out().contains("pending removals"));
  }
}

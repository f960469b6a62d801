package io.feishuipsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.feishuipsync.state.EarlierStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} prints the same text and JSON for a status.json the pre-typed code wrote, for an older or partial
 * one, and for a corrupt one, as that code did (the expected outputs were captured from it).
 */
class StatusOutputCompatibilityTest {

  /** Written by the code before the typed status: a success, then a writer failure. */
  static final String CURRENT = EarlierStatus.JSON;

  /** Fields missing (no last success, a writer without counts or drift) and fields this version does not know. */
  static final String PARTIAL = """
      {"version":1,"last_attempt":{"time":"2024-05-01T10:00:00Z","outcome":"success","message":"ok","later":1},
       "consecutive_failures":0,"writers":{"file:/a":{"outcome":"unchanged","entries":5,
       "time":"2024-05-01T09:00:00Z","extra":true}}}""";

  private static final String NO_SNAPSHOT = "state directory: STATE\n"
      + "last successful fetch: none (no snapshot yet (STATE/snapshot.json))\n";
  private static final String NO_SNAPSHOT_JSON = "{\"state_dir\":\"STATE\",\"snapshot\":{\"problem\":"
      + "\"no snapshot yet (STATE/snapshot.json)\"}";

  @TempDir
  Path dir;

  private String status(String content, String... extra) throws IOException {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Files.deleteIfExists(state.resolve("status.json"));
    if (content != null) {
      Files.writeString(state.resolve("status.json"), content);
    }
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "state_dir: " + state + "\n");
    List<String> args = new ArrayList<>(List.of("--config", config.toString(), "status"));
    args.addAll(List.of(extra));
    CliRunner.Result r = CliRunner.run(Map.of(), args);
    assertEquals(0, r.exit(), r.toString());
    return r.out().replace(state.toString(), "STATE");
  }

  @Test
  void aFileTheEarlierCodeWroteShowsTheSameTextAndJson() throws IOException {
    assertEquals(NO_SNAPSHOT
        + "last attempt: 2024-05-01T10:01:00Z, writer_failed: writer nftables:inet/feishu failed: nft: \\u001b oops\n"
        + "consecutive failures: 1\n"
        + "writers:\n"
        + "  file:/etc/allow                          changed    3 entries at 2024-05-01T10:00:01Z\n"
        + "  nftables:inet/feishu                     failed     3 entries at 2024-05-01T10:01:01Z: "
        + "nft: exit 1: Error: \\u001b[31m\n", status(CURRENT));
    assertEquals(NO_SNAPSHOT_JSON + ",\"status\":{\"version\":1,\"last_attempt\":{\"time\":\"2024-05-01T10:01:00Z\","
        + "\"outcome\":\"writer_failed\",\"exit_code\":5,\"message\":\"writer nftables:inet/feishu failed: nft: "
        + "\\\\u001b oops\",\"duration_ms\":56,\"requests\":1},\"last_success\":{\"time\":\"2024-05-01T10:00:01Z\","
        + "\"total\":3,\"added\":1,\"removed\":0},\"consecutive_failures\":1,\"writers\":{\"file:/etc/allow\":"
        + "{\"time\":\"2024-05-01T10:00:01Z\",\"outcome\":\"changed\",\"entries\":3,\"added\":1,\"removed\":0,"
        + "\"drift\":[]},\"nftables:inet/feishu\":{\"time\":\"2024-05-01T10:01:01Z\",\"outcome\":\"failed\","
        + "\"entries\":3,\"added\":0,\"removed\":1,\"drift\":[\"chain hook differs\",\"foreign rule\"],"
        + "\"error\":\"nft: exit 1: Error: \\\\u001b[31m\"}}}}\n", status(CURRENT, "--output", "json"));
  }

  @Test
  void missingAndUnknownFieldsShowAsBefore() throws IOException {
    assertEquals(NO_SNAPSHOT + "last attempt: 2024-05-01T10:00:00Z, success: ok\n"
        + "consecutive failures: 0\n"
        + "writers:\n"
        + "  file:/a                                  unchanged  5 entries at 2024-05-01T09:00:00Z\n", status(PARTIAL));
    assertEquals(NO_SNAPSHOT + "last attempt: , : \nconsecutive failures: 0\nwriters:\n", status("{}"));
    // A number written as text still counts; sections of the wrong kind read as absent.
    assertEquals(NO_SNAPSHOT + "last attempt: , : \nconsecutive failures: 3\nwriters:\n",
        status("{\"consecutive_failures\":\"3\",\"last_attempt\":7,\"writers\":[1]}"));
    // The JSON output names only what this version knows: unknown keys are not echoed.
    String json = status(PARTIAL, "--output", "json");
    assertFalse(json.contains("later") || json.contains("extra"), json);
  }

  @Test
  void aCorruptOrMissingFileIsNoStatus() throws IOException {
    for (String corrupt : new String[] {"{\"version\":1,\"last_attem", "[1,2]", "", "null", "\u0000\u00ff", null}) {
      assertEquals(NO_SNAPSHOT + "last attempt: none recorded\n", status(corrupt), String.valueOf(corrupt));
      assertEquals(NO_SNAPSHOT_JSON + "}\n", status(corrupt, "--output", "json"), String.valueOf(corrupt));
    }
  }
}

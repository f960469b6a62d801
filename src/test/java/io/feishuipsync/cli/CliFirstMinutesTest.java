package io.feishuipsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer sees first: the README's first command, and a dry run of the reference config, on any machine. */
class CliFirstMinutesTest {

  private static final String JAR = "target/feishu-ipsync.jar";

  @TempDir
  Path home;

  FakeFeishu feishu;

  /** The README's first command: the variables it sets and the arguments after {@code java -jar JAR}. */
  record Command(Map<String, String> env, List<String> args) {}

  @BeforeEach
  void setUp() throws IOException {
    feishu = new FakeFeishu();
    feishu.entries(FakeFeishu.docAddresses(120));
  }

  @AfterEach
  void tearDown() {
    feishu.close();
  }

  /** Read from README.md itself, so that this test follows (or breaks with) what the README tells people to run. */
  static Command readmeFirstCommand() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int heading = readme.indexOf("**Build it and see what it would do**");
    assertTrue(heading >= 0, "the README's first command is gone");
    int start = readme.indexOf("```sh\n", heading) + "```sh\n".length();
    String block = readme.substring(start, readme.indexOf("```", start)).replace("\\\n", " ");
    String run = block.substring(block.indexOf("&&") + 2).strip();
    List<String> words = new ArrayList<>(Arrays.asList(run.split("\\s+")));
    Map<String, String> env = new HashMap<>();
    while (words.get(0).matches("[A-Z_]+=.*")) {
      String[] kv = words.remove(0).split("=", 2);
      env.put(kv[0], kv[1]);
    }
    assertEquals(List.of("java", "-jar", JAR), words.subList(0, 3), run);
    return new Command(env, List.copyOf(words.subList(3, words.size())));
  }

  /**
   * The environment the README's first command runs with here: its own credentials (the fake accepts them), a
   * home of the test's, and only the base URL changed; {@code labRange} lets the fake's documentation addresses
   * through as a lab would, or null to exempt nothing.
   */
  Map<String, String> readmeEnv(Command c, String labRange) {
    feishu.appId(c.env().get("FEISHU_APP_ID")).secret(c.env().get("FEISHU_APP_SECRET"));
    Map<String, String> env = new HashMap<>(c.env());
    env.put("HOME", home.toString());
    env.put("FEISHU_BASE_URL", feishu.baseUrl().toString());
    if (labRange != null) {
      env.put("FEISHU_IPSYNC_ALLOW_SPECIAL", labRange);
    }
    return env;
  }

  @Test
  void readmeFirstCommandPrintsTheListAndExits0() throws IOException {
    Command c = readmeFirstCommand();
    Map<String, String> env = readmeEnv(c, "198.51.100.0/24");

    CliRunner.Result r = CliRunner.run(env, c.args());

    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("dry run: 120 entries, +120 -0, nothing applied"), r.out());
    assertTrue(r.out().contains("Feishu's list, 120 entries, all of them new:\n    198.51.100.1/32\n"), r.out());
    assertTrue(r.out().contains("    198.51.100.20/32\n"), r.out());
    assertFalse(r.out().contains("198.51.100.21/32"), "a sample of 20, not the whole list: " + r.out());
    assertFalse(r.out().contains("  + "), "the list once, not again as additions: " + r.out());
    assertTrue(r.out().contains("... and 100 more (--output json lists them all)"), r.out());
    assertTrue(r.out().matches("(?s).*\n  dryrun +would_change +0 entries \\(\\+120 -0\\)\n.*"), r.out());
    assertEquals("", r.err(), "nothing to fix");
    try (var files = Files.list(home)) {
      assertEquals(List.of(), files.toList(), "a dry run writes nothing, not even its state directory");
    }
  }

  @Test
  void quickstartRefusesSpecialAddressesUnlessTheLabRangeIsSet() throws IOException {
    Command c = readmeFirstCommand();
    Map<String, String> env = readmeEnv(c, null);

    CliRunner.Result r = CliRunner.run(env, c.args());

    assertEquals(3, r.exit(), "real Feishu sends public addresses; quickstart exempts nothing: " + r);
  }

  @Test
  void dryRunJsonKeepsTheWholeList() throws IOException {
    Command c = readmeFirstCommand();
    Map<String, String> env = readmeEnv(c, "198.51.100.0/24");
    List<String> args = new ArrayList<>(c.args());
    args.addAll(List.of("--output", "json"));

    CliRunner.Result r = CliRunner.run(env, args);

    assertEquals(0, r.exit(), r.toString());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals(120, n.get("list").size());
    assertEquals("198.51.100.120/32", n.get("list").get(119).asText());
  }

  @Test
  void exampleConfigWithoutNginxShowsTheListTheWritersReasonAndExits5() throws IOException {
    assumeFalse(Files.exists(Path.of("/etc/nginx")), "this machine has /etc/nginx");
    // The reference config as shipped, pointed at the fake Feishu and letting its documentation addresses in.
    String example = Files.readString(Path.of("config/feishu-ipsync.yaml"));
    assertTrue(example.contains("base_url: https://open.feishu.cn\n") && example.contains("allow_special: []\n"));
    Path config = home.resolve("feishu-ipsync.yaml");
    Files.writeString(config, example.replace("base_url: https://open.feishu.cn\n", "base_url: " + feishu.baseUrl()
        + "\n").replace("allow_special: []\n", FakeFeishu.LAB_VALIDATION.replaceAll("^validation: \\{|}$", "")
        + "\n"));

    CliRunner.Result r = CliRunner.run(Map.of("FEISHU_APP_ID", FakeFeishu.APP_ID, "FEISHU_APP_SECRET",
        FakeFeishu.APP_SECRET), List.of("--config", config.toString(), "sync", "--dry-run"));

    assertEquals(5, r.exit(), r.toString());
    assertTrue(r.out().contains("Feishu's list, 120 entries, all of them new:\n    198.51.100.1/32\n"), r.out());
    assertTrue(r.out().matches("(?s).*\n  file:/etc/nginx/feishu-allow.conf +failed +directory /etc/nginx does not"
        + " exist; create it, or point path elsewhere\n.*"), r.out());
    assertTrue(r.err().startsWith("feishu-ipsync: dry run: 120 entries, +120 -0, nothing applied; a writer cannot"
        + " run here, and a real sync applies nothing until it is fixed: file:/etc/nginx/feishu-allow.conf:"
        + " directory /etc/nginx does not exist; create it, or point path elsewhere"), r.err());
  }
}

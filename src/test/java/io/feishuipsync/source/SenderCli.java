package io.feishuipsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.Cli;
import io.feishuipsync.cli.CliRunner;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line against one sender's stand-in: a config of {@code senders:} and a file writer in a test's
 * directory, the documentation ranges let through the sender's validation, and the checks every source's test makes.
 */
public final class SenderCli {

  private final Path dir;
  private final Map<String, String> env;

  /** In {@code dir}, with {@code env} as the command's whole environment. */
  public SenderCli(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  /** The file the writer writes. */
  public Path allow() {
    return dir.resolve("allow.conf");
  }

  /** Writes the config: {@code senders} (YAML list items, indented by two) and a file writer. */
  public Path config(String senders) {
    try {
      return Files.writeString(dir.resolve("config.yaml"), "senders:\n" + senders.stripTrailing() + "\n"
          + FakeFeishu.LAB_VALIDATION + "\nstate_dir: " + dir.resolve("state") + "\nwriters:\n  - type: file\n"
          + "    path: " + allow() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code args} against the config. */
  public CliRunner.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", dir.resolve("config.yaml").toString()));
    all.addAll(List.of(args));
    return CliRunner.run(env, all);
  }

  /** What the writer's file holds, or "" before the first sync. */
  public String held() {
    try {
      return Files.exists(allow()) ? Files.readString(allow()) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A sync that succeeds; returns its result. */
  public CliRunner.Result synced() {
    CliRunner.Result r = run("sync");
    assertEquals(Cli.OK, r.exit(), r.toString());
    return r;
  }

  /**
   * A sync refused or failed with {@code exit}, one line on stderr containing {@code says}, the file as it was,
   * and none of {@code secrets} anywhere in the output.
   */
  public CliRunner.Result refused(int exit, String says, String... secrets) {
    String before = held();
    CliRunner.Result r = run("sync");
    assertEquals(exit, r.exit(), r.toString());
    assertTrue(r.err().contains(says), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertEquals(before, held(), "nothing applied");
    for (String s : secrets) {
      assertFalse((r.out() + r.err() + r.log()).contains(s), "a secret leaked: " + r);
    }
    assertFalse(r.log().contains("\tat "), "no stack trace: " + r.log());
    return r;
  }
}

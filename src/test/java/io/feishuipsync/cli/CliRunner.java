package io.feishuipsync.cli;

import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the CLI in this JVM the way a shell runs the binary, keeping what it printed and what it logged apart. */
public final class CliRunner {

  /**
   * One run.
   *
   * @param exit the exit code
   * @param out what the command printed on stdout
   * @param err what the command printed on stderr
   * @param log the log lines (Logback writes them to stderr, captured here separately)
   */
  public record Result(int exit, String out, String err, String log) {}

  private CliRunner() {}

  /** Runs {@code --config config args...} with only FakeFeishu's app secret in the environment. */
  public static Result withConfig(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return run(Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET), all);
  }

  /** Runs {@code args} with {@code env} as the whole environment. */
  public static Result run(Map<String, String> env, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream realErr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Cli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), env::get, args.toArray(String[]::new));
    } finally {
      System.setErr(realErr);
    }
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        log.toString(StandardCharsets.UTF_8));
  }
}

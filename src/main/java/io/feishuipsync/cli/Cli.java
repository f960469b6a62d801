package io.feishuipsync.cli;

import io.feishuipsync.core.ConfigException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import picocli.CommandLine;

/** Entry point that takes its streams, environment and arguments and returns the exit code, so tests can call it. */
public final class Cli {

  /** Exit codes, also listed in the README. */
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int SOURCE = 3;
  public static final int REFUSED = 4;
  public static final int WRITER = 5;

  private Cli() {}

  /** Runs the command line {@code args}; never calls {@code System.exit}. */
  public static int execute(PrintStream out, PrintStream err, Function<String, String> env, String... args) {
    RootCommand root = new RootCommand(out, err, env);
    CommandLine cl = new CommandLine(root);
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExitCodeExceptionMapper(e -> e instanceof ConfigException ? USAGE : FAILURE);
    cl.setParameterExceptionHandler((e, a) -> {
      err.println("feishu-ipsync: " + e.getMessage());
      err.println("Try 'feishu-ipsync --help'.");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((e, c, parseResult) -> {
      if (e instanceof ConfigException) {
        err.println("feishu-ipsync: config error: " + e.getMessage());
        return USAGE;
      }
      err.println("feishu-ipsync: error: " + e);
      return FAILURE;
    });
    return cl.execute(args);
  }
}

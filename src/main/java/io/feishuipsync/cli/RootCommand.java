package io.feishuipsync.cli;

import io.feishuipsync.config.Config;
import io.feishuipsync.config.ConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code feishu-ipsync [--config FILE] COMMAND}. */
@Command(name = "feishu-ipsync", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
    description = "Keeps firewalls open to exactly the addresses Feishu sends event callbacks from.",
    subcommands = {RunCommand.class, SyncCommand.class, StatusCommand.class, CheckConfigCommand.class,
        TeardownCommand.class, RestoreCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success (also when nothing changed)",
        "1:any other failure (state directory, lock held, internal)",
        "2:configuration or usage error",
        "3:Feishu failed (unreachable, rejected credentials, invalid answer)",
        "4:refused by a guard (nothing applied)",
        "5:a writer failed",
        "6:partial: a source failed, the others' lists and its last good list were applied"})
final class RootCommand {

  final PrintStream out;
  final PrintStream err;
  final Function<String, String> env;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: ${DEFAULT-VALUE}).",
      defaultValue = "/etc/feishu-ipsync/config.yaml")
  Path config;

  @Option(names = {"-v", "--verbose"}, description = "Log at debug level.")
  boolean verbose;

  RootCommand(PrintStream out, PrintStream err, Function<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  /** Loads and validates the config named by {@code --config}. */
  Config loadConfig() {
    return new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, env).load(config);
  }

  /** Logging for one-shot commands: to stderr, warnings only unless {@code --verbose}. */
  void logForCommand(Config c) {
    Logging.configure(c.logging().format(), verbose ? "debug" : "warn", false);
  }

  /** The version from the jar manifest. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RootCommand.class.getPackage().getImplementationVersion();
      return new String[] {"feishu-ipsync " + (v == null ? "dev" : v)};
    }
  }
}

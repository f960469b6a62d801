package io.feishuipsync.cli;

import io.feishuipsync.config.Config;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.state.FileErrors;
import io.feishuipsync.state.RestoreFiles;
import io.feishuipsync.state.StateLock;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code teardown}: removes what the writers created, and nothing else. Opens the protected ports to everyone. */
@Command(name = "teardown", mixinStandardHelpOptions = true,
    description = "Remove every table, chain, set and rule the writers created (and nothing else)."
        + " The protected ports are then open to everyone. Stop the daemon first.")
final class TeardownCommand implements Callable<Integer> {

  @ParentCommand
  RootCommand root;

  @Option(names = "--yes", description = "Confirm; without it nothing is removed.")
  boolean yes;

  @Override
  public Integer call() {
    Config config = root.loadConfig();
    root.logForCommand(config);
    if (!yes) {
      root.err.println("feishu-ipsync: teardown removes the allowlist rules and opens the protected ports to"
          + " everyone; rerun with --yes to confirm");
      return Cli.USAGE;
    }
    try (Wiring w = new Wiring(config, false); StateLock lock = StateLock.acquire(w.store)) {
      // First, so that no boot puts back what this removes.
      try {
        new RestoreFiles(w.store).remove();
      } catch (IOException e) {
        root.err.println("feishu-ipsync: nothing removed: cannot remove the boot-time copy of the rules in "
            + w.store.dir() + ": " + FileErrors.describe(e));
        return Cli.FAILURE;
      }
      int failed = 0;
      for (Writer writer : w.writers) {
        try {
          writer.teardown();
          root.out.println("removed: " + writer.name());
        } catch (WriterException e) {
          failed++;
          root.err.println("feishu-ipsync: " + e.getMessage());
        }
      }
      return failed == 0 ? Cli.OK : Cli.WRITER;
    } catch (StateLock.HeldException e) {
      root.err.println("feishu-ipsync: " + e.getMessage() + "; stop it before teardown (systemctl stop"
          + " feishu-ipsync): while it runs it puts every rule back within enforce.interval");
      return Cli.FAILURE;
    } catch (IOException e) {
      root.err.println("feishu-ipsync: cannot lock the state directory " + config.stateDir() + ": " + e.getMessage());
      return Cli.FAILURE;
    }
  }
}

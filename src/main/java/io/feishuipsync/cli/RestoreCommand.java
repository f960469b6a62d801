package io.feishuipsync.cli;

import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.RestoreStep;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.state.FileErrors;
import io.feishuipsync.state.RestoreFiles;
import io.feishuipsync.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code restore}: loads the boot-time copy of the local writers' rules with the kernel tools, as
 * {@code feishu-ipsync-restore.service} does at boot; reads only the state directory, asks nothing of Feishu.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Put the rules of the last apply back into the kernel from the state directory, with nft, ipset"
        + " and iptables-restore alone (no Feishu, no secret): for init systems without the restore unit.")
final class RestoreCommand implements Callable<Integer> {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @ParentCommand
  RootCommand root;

  private final CommandRunner runner = new ProcessCommandRunner();

  @Override
  public Integer call() {
    Path dir = new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, root.env).stateDir(root.config);
    List<RestoreStep> steps;
    try {
      steps = new RestoreFiles(new StateStore(dir)).load();
    } catch (IOException e) {
      root.err.println("feishu-ipsync: nothing restored: " + FileErrors.describe(e));
      return Cli.FAILURE;
    }
    if (steps.isEmpty()) {
      root.out.println("nothing to restore: no local writer has applied a list yet (" + dir + ")");
      return Cli.OK;
    }
    int failed = 0;
    for (RestoreStep s : steps) {
      String tool = s.tool().argv().get(0);
      try {
        CommandResult r = runner.run(s.tool().argv(), s.input().getBytes(StandardCharsets.UTF_8), TIMEOUT);
        if (r.ok()) {
          root.out.println("restored: " + tool);
        } else {
          failed++;
          root.err.println("feishu-ipsync: " + tool + " refused the saved rules: " + Sanitize.text(r.describeFailure()));
        }
      } catch (IOException e) {
        failed++;
        root.err.println("feishu-ipsync: cannot run " + tool + ": " + Sanitize.text(e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Cli.FAILURE;
      }
    }
    return failed == 0 ? Cli.OK : Cli.WRITER;
  }
}

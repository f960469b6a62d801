package io.feishuipsync.cli;

import io.feishuipsync.config.Config;
import io.feishuipsync.config.SenderSpec;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.daemon.ClusterSchema;
import io.feishuipsync.daemon.ClusterView;
import io.feishuipsync.source.Source;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code check-config}: validate the file (and with {@code --online} the credentials); change nothing. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
    description = "Validate the config file and exit 0, or print what is wrong and exit 2.")
final class CheckConfigCommand implements Callable<Integer> {

  @ParentCommand
  RootCommand root;

  @Option(names = "--online", description = "Also ask each sender for a token with the configured credentials,"
      + " and in cluster mode reach the cluster database and check its schema version.")
  boolean online;

  /** What --online proved: Feishu's line as it always was when Feishu is the only sender. */
  private static String credentialsAccepted(List<SenderSpec> senders, List<String> checked) {
    if (senders.stream().allMatch(s -> s.type().type().equals("feishu"))) {
      return ", Feishu accepted the app credentials";
    }
    return checked.isEmpty() ? ", no sender has credentials to check"
        : ", the credentials of " + String.join(", ", checked) + " were accepted";
  }

  @Override
  public Integer call() {
    Config config = root.loadConfig();
    root.logForCommand(config);
    List<SenderSpec> senders = config.lists().senders();
    List<String> checked = new ArrayList<>();
    for (SenderSpec sender : online ? senders : List.<SenderSpec>of()) {
      try (Source source = sender.build(Clock.systemUTC(), Sleeper.SYSTEM)) {
        if (source.checkCredentials()) {
          checked.add(sender.name());
        }
      } catch (SourceException e) {
        // With several senders, say which one.
        root.err.println("feishu-ipsync: " + (senders.size() > 1 ? sender.name() + ": " : "") + e.getMessage());
        // The sender answered and said no: the credentials in the config are wrong.
        return e.feishuCode() != null ? Cli.USAGE : Cli.SOURCE;
      }
    }
    String cluster = "";
    if (online && config.cluster() != null) {
      try {
        int version = ClusterView.read(config.cluster()).schemaVersion();
        if (version != 0 && version != ClusterSchema.VERSION) {
          root.err.println("feishu-ipsync: the cluster database holds schema version " + version + ", this"
              + " feishu-ipsync reads version " + ClusterSchema.VERSION + "; run the same release on every node");
          return Cli.USAGE;
        }
        cluster = ", the cluster database answered (schema " + (version == 0 ? "not created yet: the first node"
            + " creates it" : "version " + version) + ")";
      } catch (ClusterView.ClusterException e) {
        root.err.println("feishu-ipsync: " + e.getMessage());
        return e.refusedLogin() ? Cli.USAGE : Cli.FAILURE;
      }
    }
    root.out.println("config OK: " + config.source() + ": " + config.writers().size() + " writer(s), state in "
        + config.stateDir() + (online ? credentialsAccepted(senders, checked) : "") + cluster);
    return Cli.OK;
  }
}

package io.feishuipsync.cli;

import io.feishuipsync.config.Config;
import io.feishuipsync.daemon.Daemon;
import io.feishuipsync.daemon.Signals;
import io.feishuipsync.metrics.MetricsServer;
import io.feishuipsync.state.StateLock;
import io.feishuipsync.feishu.FeishuClient;
import io.feishuipsync.sync.Syncer;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code run}: the daemon. Holds the state lock for its lifetime; SIGTERM abandons a fetch, lets an apply finish,
 * then exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run as a daemon: sync at start and on the schedule until stopped (SIGTERM).")
final class RunCommand implements Callable<Integer> {

  @ParentCommand
  RootCommand root;

  @Override
  public Integer call() throws Exception {
    Config config = root.loadConfig();
    Logging.configure(config.logging().format(), root.verbose ? "debug" : config.logging().level(), true);
    try (Wiring w = new Wiring(config, true); StateLock lock = StateLock.acquire(w.store);
        MetricsServer metrics = config.metrics().listen() == null ? null
            : new MetricsServer(config.metrics().listen(), w.metrics)) {
      if (metrics != null) {
        LoggerFactory.getLogger(RunCommand.class).info("metrics at http://{}/metrics", config.metrics().listen());
      }
      // A stop abandons a fetch (nothing applied yet); an apply in progress finishes.
      Daemon daemon = new Daemon(() -> w.sync(new Syncer.Options(false, false)),
          () -> w.clients.forEach(FeishuClient::stop), config.schedule());
      Signals.onTerminate(daemon::requestStop);
      daemon.start();
      daemon.awaitAndStop();
      return Cli.OK;
    } catch (StateLock.HeldException e) {
      root.err.println("feishu-ipsync: " + e.getMessage());
      return Cli.FAILURE;
    } catch (java.net.BindException e) {
      root.err.println("feishu-ipsync: cannot serve metrics on " + config.metrics().listen() + ": " + e.getMessage()
          + " (metrics.listen)");
      return Cli.FAILURE;
    } catch (IOException e) {
      root.err.println("feishu-ipsync: cannot lock the state directory " + config.stateDir() + ": " + e.getMessage());
      return Cli.FAILURE;
    }
  }
}

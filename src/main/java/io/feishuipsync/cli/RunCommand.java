package io.feishuipsync.cli;

import io.feishuipsync.config.Config;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Watch;
import io.feishuipsync.core.Writer;
import io.feishuipsync.daemon.ChangeWatch;
import io.feishuipsync.daemon.ClusterNode;
import io.feishuipsync.daemon.Daemon;
import io.feishuipsync.daemon.EnforceLoop;
import io.feishuipsync.daemon.Signals;
import io.feishuipsync.metrics.MetricsServer;
import io.feishuipsync.source.Source;
import io.feishuipsync.state.ClusterNote;
import io.feishuipsync.state.StateLock;
import io.feishuipsync.sync.Syncer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
        String host = metrics.address().getAddress().getHostAddress();
        LoggerFactory.getLogger(RunCommand.class).info("metrics at http://{}:{}/metrics",
            host.contains(":") ? "[" + host + "]" : host, metrics.address().getPort());
      }
      // A stop abandons a fetch (nothing applied yet); an apply in progress finishes.
      Daemon daemon = new Daemon(() -> w.sync(new Syncer.Options(false, false)),
          () -> w.sources.forEach(Source::stop), config.schedule());
      Signals.onTerminate(daemon::requestStop);
      try (ClusterNode cluster = config.cluster() == null ? null : cluster(w)) {
        // First, so that a refused login or another schema version stops the node before it syncs anything.
        if (cluster != null) {
          cluster.start();
        }
        // The last applied list holds from the first instant, before Feishu has answered (or when it never does).
        w.enforcer.seed(w.syncer.lastApplied());
        try (EnforceLoop enforcing = enforce(w); ChangeWatch watching = watch(w, enforcing)) {
          daemon.start();
          daemon.awaitAndStop();
        }
        w.clusterSources.forEach(Source::stop);
      }
      return Cli.OK;
    } catch (io.feishuipsync.core.ConfigException e) {
      // Cluster setup (a refused login, another schema version): one line, the exit code of a config error.
      root.err.println("feishu-ipsync: " + e.getMessage());
      return Cli.USAGE;
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

  /** The enforcement loop of this node's local writers, or null when it has none. */
  private static EnforceLoop enforce(Wiring w) {
    long local = w.writers.stream().filter(Writer::local).count();
    if (local == 0) {
      return null;
    }
    LoggerFactory.getLogger(RunCommand.class).info("enforcing {} local writer(s) every {}", local,
        Durations.format(w.config.enforce().interval()));
    return EnforceLoop.start(w::enforce, w.config.enforce().interval());
  }

  /** The change events of the local writers that have them, each asking for a check at once; null when none. */
  private static ChangeWatch watch(Wiring w, EnforceLoop enforcing) {
    if (enforcing == null) {
      return null;
    }
    List<Watch> watches = Watch.merged(w.writers.stream().filter(Writer::local).map(Writer::watch)
        .filter(Objects::nonNull).toList());
    return watches.isEmpty() ? null : ChangeWatch.start(watches, enforcing::checkNow);
  }

  /** This node's part of the cluster: the cluster writers' job, reported to the log, metrics, notify and status. */
  private static ClusterNode cluster(Wiring w) {
    ClusterNode.Listener listener = new ClusterNode.Listener() {
      @Override
      public void running(boolean running, String reason) {
        w.metrics.clusterRunning(running);
        try {
          new ClusterNote(w.config.cluster().nodeId(), running, Instant.now(), reason).save(w.store);
        } catch (IOException e) {
          LoggerFactory.getLogger(RunCommand.class).warn("cannot record the cluster state in {}: {}",
              w.store.dir(), e.getMessage());
        }
        w.notifier.cluster(running, reason);
      }

      @Override
      public void ran(SyncResult result) {
        // Syncer has logged the run and recorded its status in the cluster database.
        w.afterClusterRun(result);
      }
    };
    return new ClusterNode(w.config.cluster(), w.config.schedule(), w::clusterSync, listener);
  }
}

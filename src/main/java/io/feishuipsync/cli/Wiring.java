package io.feishuipsync.cli;

import io.feishuipsync.config.Config;
import io.feishuipsync.config.WriterSpec;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.feishu.FeishuClient;
import io.feishuipsync.metrics.SyncMetrics;
import io.feishuipsync.notify.Notifier;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.state.Status;
import io.feishuipsync.sync.Feeds;
import io.feishuipsync.sync.Syncer;
import io.feishuipsync.writer.WriterContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the pipeline from a validated config: Feishu client, state store, writers, syncer, metrics, notifier. */
final class Wiring implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Wiring.class);

  final Config config;
  final List<FeishuClient> clients;
  final StateStore store;
  final List<Writer> writers;
  final Syncer syncer;
  final SyncMetrics metrics;
  final Notifier notifier;

  /** The objects of one command; {@code serving} only for the daemon, whose writers may hold ports open. */
  Wiring(Config config, boolean serving) {
    this.config = config;
    Clock clock = Clock.systemUTC();
    this.clients = config.lists().apps().stream()
        .map(a -> new FeishuClient(a.settings(), Sleeper.SYSTEM, clock)).toList();
    this.store = new StateStore(config.stateDir());
    String credentials = System.getenv("CREDENTIALS_DIRECTORY");
    WriterContext ctx = new WriterContext(new ProcessCommandRunner(), config.stateDir(),
        () -> store.loadSnapshot().entries(), serving,
        credentials == null || credentials.isBlank() ? null : Path.of(credentials));
    this.writers = config.writers().stream().map((WriterSpec s) -> s.build(ctx)).toList();
    List<Feeds.Named> sources = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      sources.add(new Feeds.Named(config.lists().apps().get(i).label(),
          config.validation().enforcedOn(clients.get(i))));
    }
    Feeds feeds = new Feeds(sources, config.lists().alsoAllow(), config.lists().removal());
    this.syncer = new Syncer(feeds, store, writers, config.guard(), clock);
    this.metrics = new SyncMetrics(clock);
    this.notifier = new Notifier(config.notifications(), config.stateDir(), clock, config.lists().maxAge());
    Optional<Status> status = store.loadStatus();
    metrics.restore(store.loadSnapshot().snapshot().orElse(null),
        status.flatMap(Status::lastSuccessTime).orElse(null), status.map(Status::consecutiveFailures).orElse(0));
  }

  /** One sync, then metrics and notifications (neither can change its outcome, nor keep the other from running). */
  SyncResult sync(Syncer.Options options) {
    SyncResult r = syncer.runOnce(options);
    if (!options.dryRun()) {
      try {
        metrics.record(r);
        if (config.metrics().textfile() != null) {
          metrics.writeTextfile(config.metrics().textfile(), config.metrics().allowSharedDirectory(),
              config.stateDir());
        }
      } catch (RuntimeException e) {
        log.error("cannot record the run's metrics: {}", e.toString());
      }
      try {
        int failures = store.loadStatus().map(Status::consecutiveFailures).orElse(0);
        notifier.after(r, failures);
      } catch (RuntimeException e) {
        log.error("cannot send the run's notifications: {}", e.toString());
      }
    }
    return r;
  }

  @Override
  public void close() {
    clients.forEach(FeishuClient::close);
  }
}

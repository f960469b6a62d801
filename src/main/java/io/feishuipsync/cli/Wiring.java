package io.feishuipsync.cli;

import io.feishuipsync.config.Config;
import io.feishuipsync.config.SenderSpec;
import io.feishuipsync.config.WriterSpec;
import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.metrics.SyncMetrics;
import io.feishuipsync.notify.Notifier;
import io.feishuipsync.source.Source;
import io.feishuipsync.state.DatabaseState;
import io.feishuipsync.state.RestoreFiles;
import io.feishuipsync.state.SecretFiles;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.state.Status;
import io.feishuipsync.sync.Enforcer;
import io.feishuipsync.sync.NotBackwards;
import io.feishuipsync.sync.Senders;
import io.feishuipsync.sync.Syncer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline from a validated config: the senders' sources, state store, writers, syncer, metrics, notifier. In
 * cluster mode the syncer gets the host writers only; the cluster writers run in {@link #clusterSync}, with
 * sources of their own (the two schedules may fetch at once).
 */
final class Wiring implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Wiring.class);

  final Config config;
  final List<Source> sources;
  final StateStore store;
  final List<Writer> writers;
  final List<Writer> clusterWriters;
  final List<Source> clusterSources;
  final Syncer syncer;
  /** Holds this node's local writers to the last applied list between syncs (the daemon's loop calls it). */
  final Enforcer enforcer;
  final SyncMetrics metrics;
  final Notifier notifier;
  private final Notifier clusterNotifier;
  private volatile int clusterFailures;

  /** The objects of one command; {@code serving} only for the daemon, whose writers may hold ports open. */
  Wiring(Config config, boolean serving) {
    this.config = config;
    Clock clock = Clock.systemUTC();
    this.sources = sources(config, clock);
    this.store = new StateStore(config.stateDir());
    ProcessCommandRunner runner = new ProcessCommandRunner();
    Path credentials = SecretFiles.credentialsDirectory(System.getenv("CREDENTIALS_DIRECTORY"));
    // What the feed serves at start is checked as a run would check it, and is the writer's senders' part.
    Function<WriterSpec, WriterContext> ctxOf = s -> new WriterContext(runner, config.stateDir(),
        () -> lastApplied(s.senders()), serving, credentials);
    boolean cluster = config.cluster() != null;
    // In cluster mode this node's sync gets the host writers; the cluster writers run in the cluster job.
    this.writers = config.writers().stream()
        .filter(s -> !cluster || s.type().placement() == WriterType.Placement.HOST)
        .map((WriterSpec s) -> s.build(ctxOf.apply(s))).toList();
    this.clusterWriters = !cluster ? List.of() : config.writers().stream()
        .filter(s -> s.type().placement() == WriterType.Placement.CLUSTER)
        .map((WriterSpec s) -> s.build(ctxOf.apply(s))).toList();
    this.clusterSources = cluster ? sources(config, clock) : List.of();
    this.enforcer = new Enforcer(writers, config.enforce(), new RestoreFiles(store));
    this.syncer = new Syncer(senders(sources, null, clock), store, writers, config.guard(), clock, enforcer);
    this.metrics = new SyncMetrics(clock);
    this.notifier = new Notifier(config.notifications(), config.stateDir(), clock, config.lists().maxAge());
    this.clusterNotifier = notifier.forCluster();
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

  /**
   * One enforcement check of the local writers: each repair or failure is counted and notified (the enforcer has
   * logged it). Never throws.
   */
  void enforce() {
    try {
      for (Enforcer.Repair r : enforcer.check()) {
        metrics.enforced(r.writer(), r.repaired());
        notifier.enforced(r.writer(), r.wrong(), r.error());
      }
    } catch (RuntimeException e) {
      log.error("enforcement check failed unexpectedly: {}", e.toString());
    }
  }

  /** One run of the cluster writers, with their state in the cluster database (inside the caller's transaction). */
  SyncResult clusterSync(DatabaseState state) {
    Clock clock = state.clock();
    SyncResult r = new Syncer(senders(clusterSources, state, clock), state, clusterWriters, config.guard(), clock)
        .runOnce(new Syncer.Options(false, false));
    clusterFailures = state.loadStatus().map(Status::consecutiveFailures).orElse(0);
    return r;
  }

  /**
   * After a cluster run was committed: its metrics and notifications, apart from the node's own sync (the failure
   * count is the cluster's, from the database); neither can change the run.
   */
  void afterClusterRun(SyncResult r) {
    try {
      metrics.recordCluster(r);
    } catch (RuntimeException e) {
      log.error("cannot record the cluster run's metrics: {}", e.toString());
    }
    try {
      clusterNotifier.after(r, clusterFailures);
    } catch (RuntimeException e) {
      log.error("cannot send the cluster run's notifications: {}", e.toString());
    }
  }

  /** What the last run applied of {@code senders} (every sender when empty), as a run reads it back. */
  private SortedSet<IpRange> lastApplied(Set<String> senders) {
    return syncer.lastApplied().of(senders);
  }

  /** One source per configured sender. */
  private static List<Source> sources(Config config, Clock clock) {
    return config.lists().senders().stream().map(s -> s.build(clock, Sleeper.SYSTEM)).toList();
  }

  /**
   * The configured senders through {@code from}, each checked against its validation policy, with the operator's own
   * entries; in a cluster run ({@code notBefore} set) each fetch is refused when older than the cluster's last list.
   */
  private Senders senders(List<Source> from, DatabaseState notBefore, Clock clock) {
    List<Senders.Sender> out = new ArrayList<>();
    for (int i = 0; i < from.size(); i++) {
      SenderSpec spec = config.lists().senders().get(i);
      AddressSource source = spec.policy().enforcedOn(from.get(i));
      out.add(new Senders.Sender(spec.name(),
          notBefore == null ? source : new NotBackwards(source, notBefore, clock), spec.policy()));
    }
    return new Senders(out, config.lists().alsoAllow(), config.lists().removal());
  }

  @Override
  public void close() {
    sources.forEach(Source::close);
    clusterSources.forEach(Source::close);
  }
}

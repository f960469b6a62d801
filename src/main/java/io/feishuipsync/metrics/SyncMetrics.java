package io.feishuipsync.metrics;

import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.state.AtomicFiles;
import io.feishuipsync.state.DirectoryTrust;
import io.feishuipsync.state.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators alert on, as Prometheus metrics: when the last sync succeeded and was attempted, its outcome, the
 * entries each writer holds, changes applied, Feishu requests, sync duration, guard refusals, failed syncs since
 * the last success, and the list's age.
 */
public final class SyncMetrics {

  private static final Logger log = LoggerFactory.getLogger(SyncMetrics.class);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final AtomicLong lastSuccess = new AtomicLong();
  private final AtomicLong lastAttempt = new AtomicLong();
  private final AtomicLong listFetchedAt = new AtomicLong();
  private final AtomicLong consecutiveFailures = new AtomicLong();
  private final Map<String, AtomicLong> outcome = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> entries = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> sourceEntries = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> sourceFetchedAt = new ConcurrentHashMap<>();
  private final Timer duration;
  private final AtomicLong clusterRunning = new AtomicLong(-1);

  public SyncMetrics(Clock clock) {
    this.clock = clock;
    Gauge.builder("feishu_ipsync.last_success.timestamp", lastSuccess, AtomicLong::get).baseUnit("seconds")
        .description("Unix time of the last sync that applied the list everywhere").register(registry);
    Gauge.builder("feishu_ipsync.last_attempt.timestamp", lastAttempt, AtomicLong::get).baseUnit("seconds")
        .description("Unix time of the last sync attempt").register(registry);
    Gauge.builder("feishu_ipsync.list.age", this, m -> m.listFetchedAt.get() == 0 ? -1
            : m.clock.instant().getEpochSecond() - m.listFetchedAt.get()).baseUnit("seconds")
        .description("Age of the applied list (time since it was fetched), -1 when none").register(registry);
    Gauge.builder("feishu_ipsync.consecutive_failures", consecutiveFailures, AtomicLong::get)
        .description("Failed syncs since the last success, as status counts them (a guard refusal is not one)")
        .register(registry);
    for (SyncResult.Outcome o : SyncResult.Outcome.values()) {
      String name = o.name().toLowerCase(Locale.ROOT);
      AtomicLong v = new AtomicLong();
      outcome.put(name, v);
      Gauge.builder("feishu_ipsync.last_attempt.outcome", v, AtomicLong::get).tag("outcome", name)
          .description("1 for the outcome of the last attempt, 0 for the others").register(registry);
    }
    Gauge.builder("feishu_ipsync.cluster.running", clusterRunning, AtomicLong::get)
        .description("1 when this node's cluster job can run (its database answers), 0 when not, -1 without cluster")
        .register(registry);
    duration = Timer.builder("feishu_ipsync.sync.duration").description("Duration of sync runs")
        .register(registry);
  }

  /** Starts from what the state directory says, so a restart resets neither the list's age nor the failure count. */
  public void restore(Snapshot snapshot, Instant lastSuccessTime, int failures) {
    consecutiveFailures.set(failures);
    if (snapshot != null) {
      listFetchedAt.set(snapshot.fetchedAt().getEpochSecond());
      java.util.Set<io.feishuipsync.core.IpRange> own = new java.util.TreeSet<>(snapshot.entries());
      snapshot.sources().values().forEach(g -> own.removeAll(g.entries()));
      snapshot.pending().forEach(p -> own.remove(p.address()));
      // As a run records them: with several sources, or one beside the operator's own entries.
      if (snapshot.sources().size() > 1 || (!snapshot.sources().isEmpty() && !own.isEmpty())) {
        snapshot.sources().forEach((label, g) -> source(label, g.entries().size(), g.fetchedAt()));
        source(io.feishuipsync.core.SourceReport.CONFIG, own.size(), null);
      }
    }
    if (lastSuccessTime != null) {
      lastSuccess.set(lastSuccessTime.getEpochSecond());
    }
  }

  /** Records whether this node's cluster job can run. */
  public void clusterRunning(boolean running) {
    clusterRunning.set(running ? 1 : 0);
  }

  /** Records one run. */
  public void record(SyncResult r) {
    long now = clock.instant().getEpochSecond();
    lastAttempt.set(now);
    String name = r.outcome().name().toLowerCase(Locale.ROOT);
    outcome.forEach((k, v) -> v.set(k.equals(name) ? 1 : 0));
    duration.record(r.duration());
    consecutiveFailures.set(r.outcome().consecutiveFailures((int) consecutiveFailures.get()));
    counter("feishu_ipsync.syncs", "outcome", name, "Sync runs by outcome").increment();
    counter("feishu_ipsync.feishu.requests", "outcome",
        r.outcome() == SyncResult.Outcome.SOURCE_FAILED ? "failed" : "ok", "HTTP requests made to Feishu")
        .increment(r.requests());
    if (r.outcome() == SyncResult.Outcome.REFUSED) {
      counter("feishu_ipsync.guard.refusals", null, null, "Changes refused by a guard").increment();
    }
    if (r.applied()) {
      lastSuccess.set(now);
      listFetchedAt.set(now);
      counter("feishu_ipsync.changes", "kind", "added", "Entries added to the allowlist").increment(r.added().size());
      counter("feishu_ipsync.changes", "kind", "removed", "Entries removed from the allowlist")
          .increment(r.removed().size());
    }
    if (r.sources().size() > 1) {
      r.sources().forEach(s -> source(s.label(), s.entries(), s.fetchedAt()));
    }
    writers(r);
  }

  /**
   * One cluster run of this node (the cluster writers, state in the database): its outcome and each cluster
   * writer's entries, beside the node's own sync, whose gauges it leaves alone.
   */
  public void recordCluster(SyncResult r) {
    counter("feishu_ipsync.cluster.runs", "outcome", r.outcome().name().toLowerCase(Locale.ROOT),
        "Cluster job runs on this node by outcome").increment();
    writers(r);
  }

  /** One enforcement finding: a writer repaired, or one that could not be read or repaired. */
  public void enforced(String writer, boolean repaired) {
    Counter.builder(repaired ? "feishu_ipsync.enforce.repairs" : "feishu_ipsync.enforce.failures")
        .description(repaired ? "Local writers found differing from the applied list and repaired between syncs"
            : "Enforcement checks that could not read or repair a local writer")
        .tag("writer", writer).register(registry).increment();
  }

  private void writers(SyncResult r) {
    for (WriterResult w : r.writers()) {
      if (w.outcome() == WriterResult.Outcome.SKIPPED) {
        continue;
      }
      entries.computeIfAbsent(w.writer(), k -> {
        AtomicLong v = new AtomicLong();
        Gauge.builder("feishu_ipsync.writer.entries", v, AtomicLong::get).tag("writer", k)
            .description("Entries the writer's target holds").register(registry);
        return v;
      }).set(w.entries());
      counter("feishu_ipsync.writer.runs", "writer", w.writer(), "Writer runs by outcome")
          .increment();
    }
  }

  /**
   * One source's entries and the age of its list ({@code config} has no age), when there is more than one source:
   * an alert on the age catches a source whose fetches keep failing while the others succeed.
   */
  private void source(String label, int count, Instant fetchedAt) {
    sourceEntries.computeIfAbsent(label, k -> {
      AtomicLong v = new AtomicLong();
      Gauge.builder("feishu_ipsync.source.entries", v, AtomicLong::get).tag("source", k)
          .description("Entries each source contributes (config: the operator's own)").register(registry);
      return v;
    }).set(count);
    if (fetchedAt != null) {
      sourceFetchedAt.computeIfAbsent(label, k -> {
        AtomicLong v = new AtomicLong();
        Gauge.builder("feishu_ipsync.source.age", this, m -> m.clock.instant().getEpochSecond() - v.get())
            .tag("source", k).baseUnit("seconds").description("Age of each source's last good list")
            .register(registry);
        return v;
      }).set(fetchedAt.getEpochSecond());
    }
  }

  private Counter counter(String name, String tag, String value, String description) {
    Counter.Builder b = Counter.builder(name).description(description);
    if (tag != null) {
      b.tag(tag, value);
    }
    return b.register(registry);
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Writes the metrics for node_exporter's textfile collector, atomically (it reads {@code *.prom} files); refuses,
   * with a warning, a directory another account may write unless {@code allowSharedDirectory}.
   *
   * @param stateDir the state directory, whose owner a run as root trusts (see {@link DirectoryTrust})
   */
  public void writeTextfile(Path path, boolean allowSharedDirectory, Path stateDir) {
    Optional<String> shared = DirectoryTrust.forProcess(stateDir).problem(path.toAbsolutePath().getParent());
    if (shared.isPresent() && !allowSharedDirectory) {
      log.warn("not writing the metrics textfile {}: {}, which could replace it or redirect this write; set"
          + " metrics.allow_shared_directory: true to accept it", path, shared.get());
      return;
    }
    try {
      AtomicFiles.write(path, scrape().getBytes(StandardCharsets.UTF_8), 0644);
    } catch (IOException e) {
      log.warn("cannot write the metrics textfile {}: {}", path, e.getMessage());
    }
  }
}

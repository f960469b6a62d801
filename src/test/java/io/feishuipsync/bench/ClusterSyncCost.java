package io.feishuipsync.bench;

import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.daemon.ClusterSchema;
import io.feishuipsync.state.DatabaseState;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.sync.NotBackwards;
import io.feishuipsync.sync.Syncer;
import io.feishuipsync.testbed.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one sync costs in cluster mode beyond the state directory: the same run (1,000 entries, an in-memory writer,
 * so only the state differs) recorded in files, then in the cluster database (a connection, the row lock, the
 * snapshot, history and status rows, the commit). Run by hand with {@code mvn -o test -Dtest=ClusterSyncCost};
 * it prints the lines docs/benchmarks.md quotes. Not a {@code *Test}: it measures, it does not check.
 */
class ClusterSyncCost {

  @RegisterExtension
  static final PostgresServer db = new PostgresServer();

  static final int RUNS = 200;

  /** A writer that holds its list in memory and changes it at no cost. */
  static final class Memory implements Writer {
    final TreeSet<IpRange> held = new TreeSet<>();

    @Override
    public String name() {
      return "memory";
    }

    @Override
    public void check() {}

    @Override
    public Holding read() {
      return new Holding(held, List.of());
    }

    @Override
    public void apply(SortedSet<IpRange> desired, ChangeSet change) {
      held.clear();
      held.addAll(desired);
    }
  }

  static SortedSet<IpRange> list(int offset) {
    TreeSet<IpRange> out = new TreeSet<>();
    for (int i = 0; i < 1000; i++) {
      int n = i + offset;
      out.add(IpRange.parse("203.0." + (n / 250) + "." + (n % 250 + 1)));
    }
    return out;
  }

  @Test
  void measure() throws Exception {
    GuardSettings guard = new GuardSettings(1, 1.0, Long.MAX_VALUE, Long.MAX_VALUE);
    Path dir = Files.createTempDirectory("cluster-cost");
    String url = db.newDatabase();
    try (Connection c = PostgresServer.connect(url)) {
      ClusterSchema.ensure(c);
    }
    for (boolean changing : new boolean[] {false, true}) {
      List<Long> files = new ArrayList<>();
      List<Long> cluster = new ArrayList<>();
      Memory a = new Memory();
      Memory b = new Memory();
      StateStore store = new StateStore(dir.resolve(changing ? "changing" : "same"));
      for (int i = 0; i < RUNS + 20; i++) {
        int offset = changing ? i % 2 * 10 : 0;
        Instant now = Instant.now();
        AddressSource source = () -> new SourceList(list(offset), "bench", now, 2);
        long t0 = System.nanoTime();
        SyncResult r = new Syncer(source, store, List.of(a), guard, Clock.systemUTC())
            .runOnce(new Syncer.Options(false, false));
        long t1 = System.nanoTime();
        try (Connection c = PostgresServer.connect(url)) {
          c.setAutoCommit(false);
          DatabaseState state = new DatabaseState(c, "bench");
          r = new Syncer(new NotBackwards(source, state), state, List.of(b), guard, Clock.systemUTC())
              .runOnce(new Syncer.Options(false, false));
          c.commit();
        }
        long t2 = System.nanoTime();
        if (r.outcome() != SyncResult.Outcome.SUCCESS) {
          throw new AssertionError(r.message());
        }
        if (i >= 20) { // the first runs warm the JIT up
          files.add(t1 - t0);
          cluster.add(t2 - t1);
        }
      }
      System.out.printf(Locale.ROOT, "cluster sync cost, 1,000 entries, %s: state directory median %.1f ms (p90 %.1f),"
          + " cluster database median %.1f ms (p90 %.1f), over %d runs%n", changing ? "10 replaced per run"
          : "unchanged", ms(files, 50), ms(files, 90), ms(cluster, 50), ms(cluster, 90), RUNS);
    }
  }

  static double ms(List<Long> nanos, int percentile) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100)) / 1e6;
  }
}

package io.feishuipsync.bench;

import io.feishuipsync.core.EnforceSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.state.RestoreFiles;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.sync.Enforcer;
import io.feishuipsync.writer.WriterFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The enforcement section of docs/benchmarks.md: one check's cost, the daemon's CPU while idle, and the time from a
 * flush to the repair. Runs in {@link Benchmark}'s scratch network namespace.
 */
final class EnforceBench {

  private static final int CHECKS = 50;
  private static final double TICKS_PER_SECOND = 100;

  private final CommandRunner runner;
  private final Consumer<String> line;

  EnforceBench(CommandRunner runner, Consumer<String> line) {
    this.runner = runner;
    this.line = line;
  }

  /** Wall and CPU time of one check of an in-sync writer (no repair), averaged over {@value #CHECKS} checks. */
  void checkCost() throws Exception {
    line.accept("## Enforcement");
    line.accept("");
    line.accept("One enforcement check of a writer that holds the list (read it back, compare; nothing to repair), the mean");
    line.accept("of " + CHECKS + " checks. CPU time is this process's and its children's (the `nft`, `ipset` and `iptables`");
    line.accept("processes), from `/proc/self/stat`. The default `enforce.interval` is 30 s.");
    line.accept("");
    line.accept("| writer | entries | wall time per check | CPU time per check | CPU share at a 30 s interval |");
    line.accept("| --- | ---: | ---: | ---: | ---: |");
    for (String[] w : new String[][] {{"nftables", "ports: [443]\n"}, {"iptables", "ports: [443]\nipv6: false\n"}}) {
      for (int n : new int[] {60, 10_000}) {
        sh("nft flush ruleset; ipset destroy 2>/dev/null; iptables -w -F INPUT; iptables -w -X 2>/dev/null; true");
        Writer writer = WriterFixtures.writer(w[0], w[1], runner);
        SortedSet<IpRange> list = Benchmark.addresses(n);
        Path dir = Files.createTempDirectory("feishu-ipsync-enforce");
        Enforcer e = new Enforcer(List.of(writer), new EnforceSettings(Duration.ofSeconds(30), true),
            new RestoreFiles(new StateStore(dir)));
        writer.apply(list, io.feishuipsync.core.ChangeSet.between(new java.util.TreeSet<>(), list));
        e.seed(io.feishuipsync.sync.Allowlist.whole(list));
        for (int i = 0; i < 5; i++) {
          e.check();
        }
        long cpu0 = cpuTicks();
        long start = System.nanoTime();
        for (int i = 0; i < CHECKS; i++) {
          if (!e.check().isEmpty()) {
            throw new IllegalStateException("the benchmark's writer was repaired: it should hold the list");
          }
        }
        double wall = (System.nanoTime() - start) / 1e9 / CHECKS;
        double cpu = (cpuTicks() - cpu0) / TICKS_PER_SECOND / CHECKS;
        line.accept(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %.2f %% |", w[0], n, ms(wall), ms(cpu),
            100 * cpu / 30));
      }
    }
    sh("nft flush ruleset; ipset destroy 2>/dev/null; iptables -w -F INPUT; iptables -w -X 2>/dev/null; true");
    line.accept("");
  }

  /**
   * The packaged daemon with the default interval: its CPU (with its children's) over {@code idle} after the first
   * sync, and five times the wall time from {@code nft flush ruleset} until the table is back.
   */
  void daemon(Path jar, Duration idle) throws Exception {
    Path dir = Files.createTempDirectory("feishu-ipsync-bench");
    try (FakeFeishu f = new FakeFeishu()) {
      List<String> entries = new ArrayList<>();
      Benchmark.addresses(60).forEach(r -> entries.add(r.addressText()));
      f.entries(entries);
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, "feishu:\n  base_url: " + f.baseUrl() + "\n  app_id: " + FakeFeishu.APP_ID
          + "\n  app_secret: " + FakeFeishu.APP_SECRET + "\nvalidation: {allow_special: [198.18.0.0/15]}\nstate_dir: "
          + dir.resolve("state") + "\nwriters:\n  - type: nftables\n    ports: [443]\n");
      List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
      argv.addAll(Benchmark.UNIT_FLAGS);
      argv.addAll(List.of("-jar", jar.toString(), "--config", config.toString(), "run"));
      sh("nft flush ruleset");
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
          .start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!tablePresent() && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        Thread.sleep(5_000);
        long cpu0 = withLiveChildren(p);
        Thread.sleep(idle.toMillis());
        double cpu = (withLiveChildren(p) - cpu0) / TICKS_PER_SECOND;
        List<String> repairs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          sh("nft flush ruleset");
          long start = System.nanoTime();
          while (!tablePresent() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
            Thread.sleep(1);
          }
          repairs.add(ms((System.nanoTime() - start) / 1e9));
          Thread.sleep(1_000);
        }
        line.accept("The packaged daemon (the unit's JVM flags), an nftables writer, 60 entries, the default `enforce.interval`"
            + " (30 s) and `nft monitor` running; the flush to repair time runs from `nft flush ruleset` until the");
        line.accept("table is back (polled every millisecond):");
        line.accept("");
        line.accept("| CPU over " + idle.toMinutes() + " idle minutes (process and children) | share of one core | flush to repair, five runs |");
        line.accept("| ---: | ---: | --- |");
        line.accept(String.format(Locale.ROOT, "| %.2f s | %.3f %% | %s |", cpu, 100 * cpu / idle.toSeconds(),
            String.join(", ", repairs)));
        line.accept("");
      } finally {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
        sh("nft flush ruleset");
      }
    }
  }

  private boolean tablePresent() throws Exception {
    return runner.run(List.of("nft", "list", "table", "inet", "feishu_ipsync"), new byte[0], Duration.ofSeconds(10))
        .ok();
  }

  /** utime + stime + cutime + cstime of this process, in clock ticks. */
  private static long cpuTicks() throws Exception {
    return cpuTicks(ProcessHandle.current().pid());
  }

  /** The daemon's ticks with those of its running children (nft monitor), which cutime counts only once reaped. */
  private static long withLiveChildren(Process p) throws Exception {
    long sum = cpuTicks(p.pid());
    for (ProcessHandle c : p.descendants().toList()) {
      try {
        sum += cpuTicks(c.pid());
      } catch (java.io.IOException e) {
        // It ended between the listing and the read: reaped, its time is in the parent's cutime.
      }
    }
    return sum;
  }

  private static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // Fields 14..17 of proc(5), counted from the state field (3) after the command name.
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }

  private void sh(String script) throws Exception {
    runner.run(List.of("sh", "-c", script), new byte[0], Duration.ofMinutes(2));
  }

  private static String ms(double s) {
    return s < 1 ? String.format(Locale.ROOT, "%.1f ms", s * 1000) : String.format(Locale.ROOT, "%.2f s", s);
  }
}

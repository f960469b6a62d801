package io.feishuipsync.bench;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.source.feishu.FeishuClient;
import io.feishuipsync.source.feishu.FeishuSettings;
import io.feishuipsync.writer.WriterFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Prints docs/benchmarks.md. Must run as root inside a network namespace of its own ({@code deploy/benchmark.sh}
 * does {@code unshare --net}), so the kernel firewall it measures is a scratch one. It sends no packets.
 */
public final class Benchmark {

  private static final int[] SIZES = {100, 1_000, 10_000, 100_000};
  /** The one-process-per-address baseline stops after this long and reports its rate. */
  private static final Duration BASELINE_BUDGET = Duration.ofSeconds(90);

  /** The JVM flags of the packaged launcher. */
  static final List<String> UNIT_FLAGS = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx96m", "-Xss512k",
      "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

  private final CommandRunner runner = new ProcessCommandRunner();
  private final StringBuilder out = new StringBuilder();

  public static void main(String[] args) throws Exception {
    Benchmark b = new Benchmark();
    b.run(args.length > 0 ? Path.of(args[0]) : null,
        Duration.ofMinutes(args.length > 1 ? Long.parseLong(args[1]) : 10));
  }

  void run(Path jar, Duration idle) throws Exception {
    line("# Benchmarks");
    line("");
    line("Regenerate with `sudo deploy/benchmark.sh` (runs in a scratch network namespace; sends no packets).");
    line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
        + ", " + sh("uname -sr").strip() + ", " + sh("nft --version").strip() + ", " + sh("iptables -V").strip() + ".");
    line("Addresses are drawn from 198.18.0.0/15 (RFC 2544, reserved for benchmarks): only set elements, never a");
    line("packet's address.");
    line("");
    applyTimes();
    incremental();
    feishuRequests();
    EnforceBench enforce = new EnforceBench(runner, this::line);
    enforce.checkCost();
    if (jar != null) {
      enforce.daemon(jar, idle);
      footprint(jar);
    }
    System.out.print(out);
  }

  private void applyTimes() throws Exception {
    line("## Applying a list to a fresh firewall");
    line("");
    line("Wall time of one writer apply (one `nft -f` transaction; `ipset restore` + swap + one `iptables-restore` per");
    line("family), against the manual way: one `iptables -A INPUT -s ADDR -p tcp --dport 443 -j ACCEPT` process per");
    line("address (stopped after " + BASELINE_BUDGET.toSeconds() + " s; the rest is extrapolated from its rate, marked ~).");
    line("");
    // Warm up the JVM and the page cache so the first row measures the firewall, not class loading.
    for (String[] w : new String[][] {{"nftables", "ports: [443]\n"}, {"iptables", "ports: [443]\nipv6: false\n"}}) {
      SortedSet<IpRange> warm = addresses(100);
      reset();
      writer(w[0], w[1]).apply(warm, ChangeSet.between(new TreeSet<>(), warm));
    }
    line("| entries | nftables writer | iptables/ipset writer | one `iptables -A` per address | manual / nftables | manual / ipset |");
    line("| ---: | ---: | ---: | ---: | ---: | ---: |");
    for (int n : SIZES) {
      SortedSet<IpRange> list = addresses(n);
      reset();
      double nft = time(() -> writer("nftables", "ports: [443]\n").apply(list, ChangeSet.between(new TreeSet<>(), list)));
      reset();
      double ipt = time(() -> writer("iptables", "ports: [443]\nipv6: false\n")
          .apply(list, ChangeSet.between(new TreeSet<>(), list)));
      reset();
      double[] manual = manual(list);
      String manualText = (manual[1] < n ? "~" : "") + seconds(manual[0]);
      line(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %.0fx | %.0fx |", n, seconds(nft), seconds(ipt),
          manualText, manual[0] / nft, manual[0] / ipt));
    }
    reset();
    line("");
  }

  private void incremental() throws Exception {
    line("## Incremental update: 1% of a 10,000-entry list changes");
    line("");
    SortedSet<IpRange> base = addresses(10_000);
    TreeSet<IpRange> changed = new TreeSet<>(base);
    List<IpRange> drop = new ArrayList<>(base).subList(0, 100);
    drop.forEach(changed::remove);
    addresses(10_100).stream().filter(r -> !base.contains(r)).forEach(changed::add);
    line("| writer | time | kernel objects written |");
    line("| --- | ---: | --- |");
    for (String[] w : new String[][] {{"nftables", "ports: [443]\n"}, {"iptables", "ports: [443]\nipv6: false\n"}}) {
      reset();
      Writer writer = writer(w[0], w[1]);
      writer.apply(base, ChangeSet.between(new TreeSet<>(), base));
      double t = time(() -> writer.apply(changed, ChangeSet.between(base, changed)));
      String objects = w[0].equals("nftables")
          ? "the whole table: 10,000 set elements, 2 sets, 1 chain, 3 rules (one transaction)"
          : "10,000 elements into a temporary set, then one swap; the chain's 2 rules";
      line(String.format(Locale.ROOT, "| %s | %s | %s |", w[0], seconds(t), objects));
    }
    reset();
    line("");
    line("Both writers rewrite the whole list: it is what makes every run repair drift exactly. At Feishu's list sizes");
    line("(tens of entries) that costs milliseconds.");
    line("");
  }

  private void feishuRequests() throws Exception {
    line("## Feishu requests per full sync");
    line("");
    line("Against the test server playing Feishu, `page_size` 50. Expected: `ceil(N/50)` listing requests, plus one");
    line("token request when no token is cached (`1 + ceil(N/50)` on a first fetch).");
    line("");
    line("| entries | requests, first fetch | requests, token cached | expected with a cached token |");
    line("| ---: | ---: | ---: | ---: |");
    for (int n : new int[] {10, 50, 51, 1_000, 10_000}) {
      try (FakeFeishu f = new FakeFeishu()) {
        List<String> entries = new ArrayList<>();
        addresses(n).forEach(r -> entries.add(r.addressText()));
        f.entries(entries);
        FeishuSettings s = FeishuSettings.defaults(f.baseUrl(), FakeFeishu.APP_ID, Secret.of(FakeFeishu.APP_SECRET));
        try (FeishuClient c = new FeishuClient(s, d -> { }, Clock.systemUTC())) {
          int first = c.fetch().requests();
          int cached = c.fetch().requests();
          line(String.format(Locale.ROOT, "| %,d | %d | %d | %d |", n, first, cached, (n + 49) / 50));
        }
      }
    }
    line("");
  }

  private void footprint(Path jar) throws Exception {
    line("## Daemon footprint");
    line("");
    Path dir = Files.createTempDirectory("feishu-ipsync-bench");
    try (FakeFeishu f = new FakeFeishu()) {
      List<String> entries = new ArrayList<>();
      addresses(60).forEach(r -> entries.add(r.addressText()));
      f.entries(entries);
      Path allow = dir.resolve("allow.conf");
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, "feishu:\n  base_url: " + f.baseUrl() + "\n  app_id: " + FakeFeishu.APP_ID
          + "\n  app_secret: " + FakeFeishu.APP_SECRET + "\nvalidation: {allow_special: [198.18.0.0/15]}\nstate_dir: " + dir.resolve("state")
          + "\nwriters:\n  - type: nftables\n    ports: [443]\n  - type: file\n    path: " + allow + "\n");
      List<String> flags = UNIT_FLAGS;
      List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
      argv.addAll(flags);
      argv.addAll(List.of("-jar", jar.toString(), "--config", config.toString(), "run"));
      long start = System.nanoTime();
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
          .start();
      while (!Files.exists(allow) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
        Thread.sleep(10);
      }
      double firstSync = (System.nanoTime() - start) / 1e9;
      Thread.sleep(10_000);
      String rss = Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream()
          .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ?").replace("VmRSS:", "").strip();
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      line("With the unit's JVM flags (`" + String.join(" ", flags) + "`), an nftables and a file writer, 60 entries:");
      line("");
      line("| start-up to first completed sync | resident memory, idle 10 s after |");
      line("| ---: | ---: |");
      line(String.format(Locale.ROOT, "| %s | %s |", seconds(firstSync), rss));
      line("");
    }
  }

  private double[] manual(SortedSet<IpRange> list) throws Exception {
    long start = System.nanoTime();
    int done = 0;
    for (IpRange r : list) {
      CommandResult c = runner.run(List.of("iptables", "-w", "-A", "INPUT", "-s", r.toString(), "-p", "tcp",
          "--dport", "443", "-j", "ACCEPT"), new byte[0], Duration.ofMinutes(1));
      if (!c.ok()) {
        throw new IllegalStateException(c.describeFailure());
      }
      done++;
      if (System.nanoTime() - start > BASELINE_BUDGET.toNanos()) {
        break;
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new double[] {elapsed * list.size() / done, done};
  }

  private void reset() throws Exception {
    sh("nft flush ruleset; ipset destroy 2>/dev/null; iptables -w -F INPUT; true");
  }

  private Writer writer(String type, String yaml) throws Exception {
    return WriterFixtures.writer(type, yaml, runner);
  }

  /** The first {@code n} addresses of 198.18.0.0/15. */
  static SortedSet<IpRange> addresses(int n) {
    TreeSet<IpRange> out = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      int v = i + 1;
      out.add(IpRange.parse("198." + (18 + (v >> 16)) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff)));
    }
    return out;
  }

  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  private static double time(Action a) throws Exception {
    long start = System.nanoTime();
    a.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static String seconds(double s) {
    return s < 1 ? String.format(Locale.ROOT, "%.0f ms", s * 1000) : String.format(Locale.ROOT, "%.2f s", s);
  }

  private String sh(String script) throws IOException, InterruptedException {
    return runner.run(List.of("sh", "-c", script), new byte[0], Duration.ofMinutes(2)).stdout();
  }

  private void line(String s) {
    out.append(s).append('\n');
  }
}

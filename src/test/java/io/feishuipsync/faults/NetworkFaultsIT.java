package io.feishuipsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.TestConfig;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.testbed.FaultProxy;
import io.feishuipsync.testbed.Held;
import io.feishuipsync.testbed.LinkedNamespace;
import io.feishuipsync.testbed.StampedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on a real link: the packaged jar runs in a network namespace of the test's own, with its nftables table in
 * that namespace's kernel, and reaches Feishu's stand-in on the host over a veth pair through a fault-injecting
 * proxy. Loss and resets (nftables rules on the link), a link cut for a minute in the middle of a run, a slow link
 * (a token bucket), seconds of latency and stalled connections (the proxy). Whatever the fault, the kernel holds
 * the old complete list or the new one at every sample, no run outlives its deadline, the history replays to what
 * the kernel holds, and the list converges once the link heals.
 */
class NetworkFaultsIT {

  @RegisterExtension
  static final LinkedNamespace ns = new LinkedNamespace();
  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  /** One request's hard limit is connect + 2 x response (2 s + 6 s); three attempts and 6 s of waiting between. */
  static final String FEISHU_LIMITS = "connect_timeout: 2s\nresponse_timeout: 3s\nmax_attempts: 3\nmax_retry_time: 6s";
  /** A fetch's deadline from those limits (token and list each bounded alike), with a margin for the JVM. */
  static final long RUN_DEADLINE_MS = 2 * (3 * 8_000 + 6_000) + 10_000;
  /** The line each run ends with, whatever its outcome. */
  static final java.util.regex.Pattern RUN_REPORT =
      java.util.regex.Pattern.compile("sync (success|source_failed|refused|writer_failed|error|partial|abandoned): ");
  static final String SCHEDULE = "schedule:\n  cron: \"*/2 * * * * ?\"\n  retry_after: 1s";

  @TempDir
  Path dir;
  FaultProxy proxy;
  final List<StampedProcess> started = new ArrayList<>();

  @BeforeEach
  void link() throws Exception {
    ns.heal();
    ns.exec("sh", "-c", "nft delete table inet feishu_ipsync 2>/dev/null; true");
    proxy = new FaultProxy(LinkedNamespace.FAR, feishu.baseUrl().getPort());
  }

  @AfterEach
  void stop() throws Exception {
    for (StampedProcess p : started) {
      p.close();
      List<String> out = p.lines().stream().map(StampedProcess.Line::text).toList();
      System.out.println("--- process " + p.pid() + " (last 40 lines)");
      out.subList(Math.max(0, out.size() - 40), out.size()).forEach(System.out::println);
    }
    proxy.close();
    ns.heal();
  }

  Path config(String... sections) throws IOException {
    TestConfig c = TestConfig.pointedAt("http://" + LinkedNamespace.FAR + ":" + proxy.port(), dir.resolve("state"))
        .feishu(FEISHU_LIMITS)
        .writer("type: nftables\nports: [443]")
        .fileWriter(dir.resolve("allow.conf"), "");
    for (String s : sections) {
      c.section(s);
    }
    return c.writeTo(dir.resolve("config.yaml"));
  }

  StampedProcess daemon() throws IOException {
    StampedProcess p = StampedProcess.start(ns.command(StampedProcess.jar("--config",
        dir.resolve("config.yaml").toString(), "run").toArray(String[]::new)),
        Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET));
    started.add(p);
    return p;
  }

  /** A one-shot {@code sync} in the namespace: its exit code, how long it took, and what it printed. */
  record Sync(int exit, long millis, String output) {}

  Sync sync(String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("--config", dir.resolve("config.yaml").toString(), "sync"));
    args.addAll(List.of(flags));
    long t0 = System.nanoTime();
    try (StampedProcess p = StampedProcess.start(ns.command(StampedProcess.jar(args.toArray(String[]::new))
        .toArray(String[]::new)), Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET))) {
      int exit = p.waitFor(RUN_DEADLINE_MS / 1000 + 60);
      return new Sync(exit, (System.nanoTime() - t0) / 1_000_000, p.output());
    }
  }

  /** What the namespace's kernel admits, read with nft apart from the product (null: no table). */
  SortedSet<IpRange> kernel() {
    try {
      return Held.nftSets(ns.exec("nft", "-j", "list", "table", "inet", "feishu_ipsync"));
    } catch (IOException | InterruptedException | AssertionError e) {
      return null;
    }
  }

  SortedSet<IpRange> historyReplayed() throws IOException {
    return Held.historyReplayed(Files.readAllLines(dir.resolve("state/history.jsonl")));
  }

  static SortedSet<IpRange> ranges(List<String> list) {
    TreeSet<IpRange> out = new TreeSet<>();
    list.forEach(s -> out.add(IpRange.parse(s)));
    return out;
  }

  /** 300 addresses (several pages) shifted by {@code shift}: each list of the test differs from the last by a few. */
  static List<String> list(int shift) {
    return FakeFeishu.docAddresses(300 + shift).subList(shift, 300 + shift);
  }

  static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      Thread.sleep(200);
    }
  }

  /**
   * Samples the kernel every 250 ms for {@code seconds}: each sample must be one of {@code allowed}, whole.
   * Returns how many samples were taken.
   */
  int holdWhole(long seconds, List<SortedSet<IpRange>> allowed) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    int samples = 0;
    while (System.nanoTime() < end) {
      SortedSet<IpRange> now = kernel();
      assertTrue(now != null && allowed.contains(now), () -> "the kernel holds a list that is none of the complete"
          + " ones: " + (now == null ? "no table" : differences(now, allowed)));
      samples++;
      Thread.sleep(250);
    }
    return samples;
  }

  static String differences(SortedSet<IpRange> now, List<SortedSet<IpRange>> allowed) {
    StringBuilder b = new StringBuilder(now.size() + " entries;");
    for (SortedSet<IpRange> a : allowed) {
      TreeSet<IpRange> extra = new TreeSet<>(now);
      extra.removeAll(a);
      TreeSet<IpRange> missing = new TreeSet<>(a);
      missing.removeAll(now);
      b.append(" against a list of ").append(a.size()).append(": extra ").append(extra).append(" missing ")
          .append(missing).append(';');
    }
    return b.toString();
  }

  /** The longest time between two runs' reports, while faults were on: no run may hang past its deadline. */
  static long longestGapBetweenRuns(StampedProcess p, long fromMillis) {
    List<Long> at = p.lines(t -> RUN_REPORT.matcher(t).find()).stream().map(StampedProcess.Line::atMillis).filter(t -> t >= fromMillis)
        .toList();
    long gap = 0;
    for (int i = 1; i < at.size(); i++) {
      gap = Math.max(gap, at.get(i) - at.get(i - 1));
    }
    return gap;
  }

  static long now(StampedProcess p) {
    List<StampedProcess.Line> l = p.lines();
    return l.isEmpty() ? 0 : l.get(l.size() - 1).atMillis();
  }

  void oneClearLinePerFailure(StampedProcess p) {
    String out = p.output();
    assertFalse(out.contains("\tat "), "no stack trace in the daemon's output");
    assertFalse(out.contains(FakeFeishu.APP_SECRET), "no secret in the daemon's output");
    assertFalse(out.matches("(?s).*t-[0-9a-f]+-token.*"), "no token in the daemon's output");
  }

  @Test
  void lossAndResetsOnTheLinkLeaveTheOldListOrTheNewAndNoRunHangs() throws Exception {
    config(SCHEDULE);
    feishu.entries(list(0));
    StampedProcess d = daemon();
    await("the first list in the kernel", 60, () -> ranges(list(0)).equals(kernel()));

    long from = now(d);
    ns.loss(30);
    feishu.entries(list(5));
    int samples = holdWhole(25, List.of(ranges(list(0)), ranges(list(5))));
    feishu.entries(list(9));
    samples += holdWhole(25, List.of(ranges(list(0)), ranges(list(5)), ranges(list(9))));
    ns.heal();
    ns.resets(30);
    feishu.entries(list(12));
    samples += holdWhole(25, List.of(ranges(list(0)), ranges(list(5)), ranges(list(9)), ranges(list(12))));
    long gap = longestGapBetweenRuns(d, from);
    ns.heal();

    await("the last list once the link heals", 60, () -> ranges(list(12)).equals(kernel()));
    System.out.printf("loss 30 %% then resets 30 %%: %d kernel samples all whole, %d run reports, longest gap %d ms"
        + " (deadline %d ms)%n", samples, d.lines(t -> RUN_REPORT.matcher(t).find()).size(), gap, RUN_DEADLINE_MS);
    assertTrue(gap < RUN_DEADLINE_MS, "a run outlived its deadline: " + gap + " ms between two runs' reports");
    assertEquals(kernel(), historyReplayed(), "the history replays to what the kernel holds");
    oneClearLinePerFailure(d);
    assertTrue(d.isAlive());
  }

  @Test
  void aLinkCutForAMinuteInTheMiddleOfARunKeepsTheOldListUntilItHeals() throws Exception {
    config(SCHEDULE);
    feishu.entries(list(0));
    StampedProcess d = daemon();
    await("the first list in the kernel", 60, () -> ranges(list(0)).equals(kernel()));

    feishu.listDelay(1_000).entries(list(7));
    int before = feishu.listRequests();
    await("a run is fetching the new list", 30, () -> feishu.listRequests() > before);
    long from = now(d);
    ns.cut();
    int samples = holdWhole(60, List.of(ranges(list(0))));
    long gap = longestGapBetweenRuns(d, from);
    int failed = d.lines(t -> t.contains("sync source_failed: ")).size();
    ns.heal();
    feishu.listDelay(0);

    await("the new list once the link is back", 60, () -> ranges(list(7)).equals(kernel()));
    System.out.printf("link cut 60 s mid-run: %d kernel samples all the old list, %d failed runs, longest gap %d ms%n",
        samples, failed, gap);
    assertTrue(failed >= 3, "runs went on failing while the link was cut: " + failed);
    assertTrue(gap < RUN_DEADLINE_MS, "a run outlived its deadline: " + gap + " ms");
    assertTrue(d.output().contains("timeout") || d.output().contains("unreachable")
        || d.output().contains("No route"), "the failure says what happened:\n" + d.output());
    assertEquals(kernel(), historyReplayed());
    oneClearLinePerFailure(d);
  }

  @Test
  void aSlowLinkDeliversAThousandEntries() throws Exception {
    config();
    List<String> big = FakeFeishu.docAddresses(1000);
    feishu.entries(big);
    ns.slow("64kbit");
    Sync s = sync();
    System.out.printf("1000 entries over a 64 kbit/s link: exit %d in %d ms%n", s.exit(), s.millis());
    assertEquals(0, s.exit(), s.output());
    assertEquals(ranges(big), kernel());
    assertEquals(kernel(), historyReplayed());
  }

  @Test
  void secondsOfLatencyOrAStalledPeerEndTheRunByItsDeadlineWithTheOldList() throws Exception {
    config();
    feishu.entries(list(0));
    assertEquals(0, sync().exit());

    proxy.latency(1_200);
    feishu.entries(list(3));
    Sync slow = sync();
    System.out.printf("1.2 s each way on every chunk: exit %d in %d ms%n", slow.exit(), slow.millis());
    assertEquals(0, slow.exit(), slow.output());
    assertEquals(ranges(list(3)), kernel());

    proxy.latency(4_000);
    feishu.entries(list(6));
    Sync late = sync();
    System.out.printf("4 s each way: exit %d in %d ms%n", late.exit(), late.millis());
    assertNotEquals(0, late.exit(), late.output());
    assertTrue(late.millis() < RUN_DEADLINE_MS, "ended by its deadline: " + late.millis() + " ms");
    assertEquals(ranges(list(3)), kernel(), "the old list stays");

    proxy.latency(0).stall(true);
    Sync stalled = sync();
    System.out.printf("a peer that never answers: exit %d in %d ms%n", stalled.exit(), stalled.millis());
    assertNotEquals(0, stalled.exit(), stalled.output());
    assertTrue(stalled.millis() < RUN_DEADLINE_MS, "ended by its deadline: " + stalled.millis() + " ms");
    assertEquals(ranges(list(3)), kernel(), "the old list stays");
    assertTrue(stalled.output().lines().anyMatch(l -> l.contains("timeout")), stalled.output());
    assertFalse(stalled.output().contains("\tat "), stalled.output());

    proxy.heal();
    assertEquals(0, sync().exit());
    assertEquals(ranges(list(6)), kernel());
    assertEquals(kernel(), historyReplayed());
  }
}

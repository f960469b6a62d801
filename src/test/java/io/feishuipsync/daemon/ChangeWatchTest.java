package io.feishuipsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.feishuipsync.core.Watch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Change events (the shape {@code nft monitor} prints) ask for a check once per change that names a writer's own. */
class ChangeWatchTest {

  static Watch script(String printed) {
    return new Watch(List.of("sh", "-c", "printf '" + printed + "'; sleep 30"), "# new generation",
        List.of("feishu_ipsync", "FEISHU-IPSYNC"));
  }

  static void await(AtomicInteger n, int atLeast) throws InterruptedException {
    for (int i = 0; i < 100 && n.get() < atLeast; i++) {
      Thread.sleep(50);
    }
  }

  @Test
  void aChangeNamingOurTableAsksForOneCheckAndOthersForNone() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    try (ChangeWatch w = ChangeWatch.start(List.of(script(
        "add table ip nat\\n# new generation 4 by process 7 (iptables-nft)\\n"
            + "delete set inet feishu_ipsync allow_v4\\ndelete table inet feishu_ipsync\\n"
            + "# new generation 5 by process 8 (nft)\\n"
            + "delete rule ip filter FEISHU-IPSYNC handle 4\\n# new generation 6 by process 9 (iptables-nft)\\n"
            + "add element inet filter other { 192.0.2.1 }\\n# new generation 7 by process 10 (nft)\\n")),
        checks::incrementAndGet)) {
      await(checks, 2);
      Thread.sleep(200);
      assertEquals(2, checks.get(), "the flush of our table and the flush of our chain; not nat, not another set");
    }
  }

  @Test
  void writersListeningToTheSameCommandShareOneProcess() {
    List<Watch> merged = Watch.merged(List.of(Watch.nftMonitor("nft", List.of("feishu_ipsync")),
        Watch.nftMonitor("nft", List.of("FEISHU-IPSYNC", "INPUT")), Watch.nftMonitor("/usr/sbin/nft", List.of("t"))));
    assertEquals(List.of(Watch.nftMonitor("nft", List.of("feishu_ipsync", "FEISHU-IPSYNC", "INPUT")),
        Watch.nftMonitor("/usr/sbin/nft", List.of("t"))), merged);
  }

  @Test
  void aWatchThatCannotRunIsLoggedAndLeavesTheIntervalCheck() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    ChangeWatch w = ChangeWatch.start(List.of(new Watch(List.of("/nonexistent/nft", "monitor"), "# new generation",
        List.of("feishu_ipsync"))), checks::incrementAndGet);
    Thread.sleep(200);
    w.close();
    assertEquals(0, checks.get());
  }

  @Test
  void manyChecksAskedAtOnceWhileOneRunsAreOneMore() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    EnforceLoop loop = EnforceLoop.start(() -> {
      runs.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, Duration.ofHours(1));
    await(runs, 1);
    for (int i = 0; i < 50; i++) {
      loop.checkNow();
    }
    release.countDown();
    await(runs, 2);
    Thread.sleep(200);
    loop.close();
    assertEquals(2, runs.get(), "the first check at start, then one for all fifty requests");
  }
}

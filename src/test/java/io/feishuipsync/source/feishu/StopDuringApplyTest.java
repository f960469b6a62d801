package io.feishuipsync.source.feishu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.sync.Syncer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop that arrives while the writers apply leaves the apply alone: it finishes and the snapshot advances. */
class StopDuringApplyTest {

  @TempDir
  Path dir;

  @Test
  void anApplyInProgressFinishesWhenTheClientIsStopped() throws Exception {
    CountDownLatch applying = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    TreeSet<IpRange> held = new TreeSet<>();
    Writer slow = new Writer() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public void check() {}

      @Override
      public Holding read() {
        return Holding.of(held);
      }

      @Override
      public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
        applying.countDown();
        try {
          Thread.sleep(1000);
          // A file write on an interrupted thread fails (ClosedByInterruptException): it must not be.
          Files.writeString(dir.resolve("applied"), desired.toString());
        } catch (InterruptedException | IOException e) {
          interrupted.set(true);
          throw new WriterException(name(), "interrupted: " + e);
        }
        held.clear();
        held.addAll(desired);
      }
    };
    try (FakeFeishu feishu = new FakeFeishu().entries(FakeFeishu.docAddresses(20));
        FeishuClient client = new FeishuClient(FeishuSettings.defaults(feishu.baseUrl(), FakeFeishu.APP_ID,
            Secret.of(FakeFeishu.APP_SECRET)), Sleeper.SYSTEM, Clock.systemUTC())) {
      StateStore store = new StateStore(dir.resolve("state"));
      Syncer syncer = new Syncer(client, store, List.of(slow), GuardSettings.DEFAULTS, Clock.systemUTC());
      CompletableFuture<SyncResult> run = CompletableFuture.supplyAsync(
          () -> syncer.runOnce(new Syncer.Options(false, false)));
      assertTrue(applying.await(10, TimeUnit.SECONDS));
      client.stop();
      SyncResult r = run.get(10, TimeUnit.SECONDS);
      assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
      assertFalse(interrupted.get());
      assertEquals(20, held.size());
      assertTrue(Files.exists(dir.resolve("applied")));
      assertEquals(20, store.loadSnapshot().entries().size());
    }
  }
}

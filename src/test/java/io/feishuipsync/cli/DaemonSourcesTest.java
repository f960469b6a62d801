package io.feishuipsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.daemon.Daemon;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.state.Status;
import io.feishuipsync.sync.Syncer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as {@code run} wires it, against two real HTTP servers: an app that never answered does not stop the
 * other's list from being applied, and a partial run is not retried early like a failed one.
 */
class DaemonSourcesTest {

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  @RegisterExtension
  final FakeFeishu lark = FakeFeishu.perTest();

  @Test
  void anAppThatNeverAnsweredLeavesThePartialRunAppliedAndNotRetriedEarly() throws Exception {
    feishu.entries(List.of("198.51.100.1", "198.51.100.2"));
    lark.answerEverything(FakeFeishu.Fault.status(503, "down"));
    Path allow = dir.resolve("allow.conf");
    Path config = Files.writeString(dir.resolve("config.yaml"), "feishu:\n"
        + "  - {name: feishu, base_url: '" + feishu.baseUrl() + "', app_id: " + FakeFeishu.APP_ID
        + ", app_secret: '${FEISHU_APP_SECRET}', max_attempts: 1}\n"
        + "  - {name: lark, base_url: '" + lark.baseUrl() + "', app_id: " + FakeFeishu.APP_ID
        + ", app_secret: '${FEISHU_APP_SECRET}', max_attempts: 1}\n"
        + FakeFeishu.LAB_VALIDATION + "\nstate_dir: " + dir.resolve("state") + "\n"
        + "schedule: {interval: 6h, retry_after: 200ms}\n"
        + "writers:\n  - {type: file, path: '" + allow + "'}\n");
    AtomicReference<SyncResult> last = new AtomicReference<>();
    try (Wiring w = new Wiring(new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL,
        Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET)::get).load(config), true)) {
      Daemon d = new Daemon(() -> {
        SyncResult r = w.sync(new Syncer.Options(false, false));
        last.set(r);
        return r;
      }, w.config.schedule());
      d.start();
      for (int i = 0; i < 100 && last.get() == null; i++) {
        Thread.sleep(50);
      }
      Thread.sleep(1500);
      d.requestStop();
      d.awaitAndStop();
      assertEquals(SyncResult.Outcome.PARTIAL, last.get().outcome(), last.get().message());
      assertTrue(last.get().message().contains("lark:"), last.get().message());
      assertEquals(1, feishu.listRequests(), "no early retry after a partial run");
      assertTrue(Files.readString(allow).contains("198.51.100.2/32"));
      Status s = w.store.loadStatus().orElseThrow();
      assertEquals(0, s.consecutiveFailures());
      assertEquals(6, s.lastAttempt().exitCode());
    }
  }
}

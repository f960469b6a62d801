package io.feishuipsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.feishuipsync.cli.SourceTypes;
import io.feishuipsync.cli.WriterTypes;
import io.feishuipsync.config.Config;
import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.config.SenderSpec;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.source.Source;
import io.feishuipsync.source.StandIn.Answer;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.source.github.FakeGithub;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.testbed.PacketProbe;
import io.feishuipsync.testbed.Testbed;
import io.feishuipsync.writer.WriterContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing judged by real packets: Feishu's stand-in lists the "listed" client, GitHub's the "unlisted" one; the
 * config routes Feishu to an nftables table guarding port 443 and GitHub to another guarding 8080, in a testbed
 * container's kernel. Each port admits its own sender only, and a sender that fails keeps its port as it was.
 */
class RoutingPacketIT {

  @RegisterExtension
  static final Testbed bed = Testbed.perClass();
  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();

  @TempDir
  Path dir;

  @Test
  void eachPortAdmitsItsOwnSenderOnly() throws Exception {
    bed.sh("nft flush ruleset");
    PacketProbe probe = PacketProbe.setUp(bed);
    feishu.entries(List.of(PacketProbe.LISTED_V4, PacketProbe.LISTED_V6));
    try (FakeGithub github = new FakeGithub()) {
      github.hooks(PacketProbe.UNLISTED_V4, PacketProbe.UNLISTED_V6);
      Path config = Files.writeString(dir.resolve("config.yaml"), "feishu:\n  base_url: " + feishu.baseUrl()
          + "\n  app_id: " + FakeFeishu.APP_ID + "\n  app_secret: ${FEISHU_APP_SECRET}\n  max_attempts: 1\n"
          + "senders:\n  - type: github\n    name: github\n    base_url: " + github.baseUrl() + "\n"
          + FakeFeishu.LAB_VALIDATION + "\nstate_dir: " + dir.resolve("state") + "\nwriters:\n"
          + "  - type: nftables\n    table: fipsync_bot\n    ports: [443]\n    senders: [feishu]\n"
          + "  - type: nftables\n    table: fipsync_ci\n    ports: [8080]\n    senders: [github]\n");
      Config c = new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL,
          Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET)::get).load(config);
      List<Writer> writers = c.writers().stream()
          .map(s -> s.build(new WriterContext(bed.runner(), dir.resolve("state"), TreeSet::new))).toList();
      List<Source> sources = new ArrayList<>();
      List<Senders.Sender> senders = new ArrayList<>();
      for (SenderSpec s : c.lists().senders()) {
        Source source = s.build(Clock.systemUTC(), d -> { });
        sources.add(source);
        senders.add(new Senders.Sender(s.name(), s.policy().enforcedOn(source), s.policy()));
      }
      Files.createDirectories(dir.resolve("state"));
      Syncer syncer = new Syncer(new Senders(senders, c.lists().alsoAllow(), c.lists().removal()),
          new StateStore(dir.resolve("state")), writers, c.guard(), Clock.systemUTC());

      SyncResult first = syncer.runOnce(new Syncer.Options(false, false));
      assertEquals(SyncResult.Outcome.SUCCESS, first.outcome(), first.message());
      assertEquals(PacketProbe.expect(true, false, false, true), probe.reachability(),
          "443 admits Feishu's senders alone, 8080 GitHub's alone");

      for (int i = 0; i < 5; i++) {
        github.next(Answer.json(503, "{\"message\":\"unavailable\"}"));
      }
      SyncResult partial = syncer.runOnce(new Syncer.Options(false, false));
      assertEquals(SyncResult.Outcome.PARTIAL, partial.outcome(), partial.message());
      assertEquals(PacketProbe.expect(true, false, false, true), probe.reachability(),
          "GitHub failing keeps its port's list; Feishu's port is untouched");
      sources.forEach(Source::close);
    } finally {
      bed.sh("nft flush ruleset");
    }
  }
}

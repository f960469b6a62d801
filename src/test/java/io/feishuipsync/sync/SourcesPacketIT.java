package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.source.feishu.FeishuClient;
import io.feishuipsync.source.feishu.FeishuSettings;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.testbed.PacketProbe;
import io.feishuipsync.testbed.Testbed;
import io.feishuipsync.writer.WriterFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Own entries, removal grace and two apps, judged by real packets: two real HTTP servers play Feishu and Lark, the
 * nftables writer changes the kernel of a testbed container, and clients in its namespaces connect to port 443.
 */
class SourcesPacketIT {

  @RegisterExtension
  static final Testbed bed = Testbed.perClass();
  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  @RegisterExtension
  final FakeFeishu lark = FakeFeishu.perTest();

  @TempDir
  Path state;

  final MutableClock clock = new MutableClock();

  Syncer syncer(FeishuClient f, FeishuClient l, Writer nft) {
    Senders senders = new Senders(List.of(new Senders.Sender("feishu", f), new Senders.Sender("lark", l)),
        ips(PacketProbe.LISTED_V4), new RemovalSettings(2, Duration.ofHours(1)));
    return new Syncer(senders, new StateStore(state), List.of(nft), GuardSettings.DEFAULTS, clock);
  }

  FeishuClient client(FakeFeishu fake) {
    FeishuSettings s = FeishuSettings.defaults(fake.baseUrl(), FakeFeishu.APP_ID, Secret.of(FakeFeishu.APP_SECRET));
    return new FeishuClient(new FeishuSettings(s.baseUrl(), s.appId(), s.appSecret(), s.pageSize(), s.maxPages(),
        s.connectTimeout(), s.responseTimeout(), 1, s.maxRetryTime(), s.maxRateLimitWait(), s.maxResponseBytes()),
        Sleeper.SYSTEM, clock);
  }

  static String v4(boolean listed) {
    return (listed ? "listed v4 " + PacketProbe.LISTED_V4 : "unlisted v4 " + PacketProbe.UNLISTED_V4) + " :443";
  }

  static String v6(boolean listed) {
    return (listed ? "listed v6 " + PacketProbe.LISTED_V6 : "unlisted v6 " + PacketProbe.UNLISTED_V6) + " :443";
  }

  static Map<String, Boolean> port443(boolean listedV4, boolean unlistedV4, boolean listedV6, boolean unlistedV6) {
    return Map.of(v4(true), listedV4, v4(false), unlistedV4, v6(true), listedV6, v6(false), unlistedV6);
  }

  static Map<String, Boolean> seen(PacketProbe probe) {
    Map<String, Boolean> all = probe.reachability();
    all.entrySet().stream().filter(e -> e.getKey().endsWith(":8080"))
        .forEach(e -> assertEquals(true, e.getValue(), "an unprotected port stays open: " + e.getKey()));
    return Map.of(v4(true), all.get(v4(true)), v4(false), all.get(v4(false)), v6(true), all.get(v6(true)),
        v6(false), all.get(v6(false)));
  }

  @Test
  void healthCheckHostPassesRemovedAddressWaitsForGraceAndAFailedSourceKeepsItsAddresses() throws Exception {
    bed.sh("nft flush ruleset");
    PacketProbe probe = PacketProbe.setUp(bed);
    Writer nft = WriterFixtures.writer("nftables", "ports: [443]\n", bed.runner());
    feishu.entries(List.of(PacketProbe.LISTED_V6));
    lark.entries(List.of(PacketProbe.UNLISTED_V6));
    try (FeishuClient f = client(feishu); FeishuClient l = client(lark)) {
      SyncResult first = syncer(f, l, nft).runOnce(new Syncer.Options(false, false));
      assertEquals(SyncResult.Outcome.SUCCESS, first.outcome(), first.message());
      // The health-check host comes from also_allow; the unlisted IPv4 host is in no list.
      assertEquals(port443(true, false, true, true), seen(probe));

      // Feishu drops the listed IPv6 host; Lark stops answering.
      feishu.entries(List.of("2001:db8::99"));
      lark.answerEverything(FakeFeishu.Fault.status(503, "down"));
      clock.advance(Duration.ofMinutes(10));
      SyncResult partial = syncer(f, l, nft).runOnce(new Syncer.Options(false, false));
      assertEquals(SyncResult.Outcome.PARTIAL, partial.outcome(), partial.message());
      assertEquals(port443(true, false, true, true), seen(probe),
          "the removed address waits for its grace; Lark's last good list stays");

      clock.advance(Duration.ofMinutes(61));
      SyncResult later = syncer(f, l, nft).runOnce(new Syncer.Options(false, false));
      assertEquals(SyncResult.Outcome.PARTIAL, later.outcome(), later.message());
      assertEquals(port443(true, false, false, true), seen(probe), "two misses and an hour: now it goes");
    } finally {
      bed.sh("nft flush ruleset");
    }
  }
}

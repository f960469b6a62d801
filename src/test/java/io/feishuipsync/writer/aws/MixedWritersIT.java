package io.feishuipsync.writer.aws;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.sync.Syncer;
import io.feishuipsync.testbed.Testbed;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterFixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One sync into the real kernel (nftables in a testbed) and a security group whose EC2 calls fail: the kernel side is
 * applied, the run fails with exit code 5, the snapshot stays, and the next run repairs the group. The EC2 side is
 * the stateful fake, because moto cannot be made to fail on demand.
 */
class MixedWritersIT {

  @RegisterExtension
  static final Testbed bed = Testbed.perClass();

  @TempDir
  Path state;

  @Test
  void failingAwsWriterLeavesKernelAppliedSnapshotKeptAndIsRepairedNextRun() throws Exception {
    SortedSet<IpRange>[] list = new SortedSet[] {ips("198.51.100.10", "198.51.100.11")};
    AddressSource source = () -> new SourceList(list[0], "test", Instant.now(), 2);
    Writer nft = WriterFixtures.writer("nftables", "ports: [443]", bed.runner());
    FakeEc2 ec2 = new FakeEc2();
    String group = ec2.addGroup("sg-0aaaaaaaaaaaaaaaa");
    Writer sg = new SecurityGroupWriter(List.of(group), List.of(new PortRange(443, 443)), "tcp", "feishu-ipsync", 60,
        () -> ec2, d -> { });
    StateStore store = new StateStore(state);
    Syncer syncer = new Syncer(source, store, List.of(nft, sg), GuardSettings.DEFAULTS, Clock.systemUTC());
    Syncer.Options normal = new Syncer.Options(false, false);

    assertEquals(SyncResult.Outcome.SUCCESS, syncer.runOnce(normal).outcome());

    list[0] = ips("198.51.100.10", "198.51.100.11", "198.51.100.12");
    for (int i = 0; i < 10; i++) {
      ec2.failNext("AuthorizeSecurityGroupIngress", "RequestLimitExceeded");
    }
    SyncResult failed = syncer.runOnce(normal);
    assertEquals(5, failed.outcome().exitCode(), failed.message());
    assertTrue(failed.message().contains("throttled"), failed.message());
    assertEquals(WriterResult.Outcome.CHANGED, failed.writers().get(0).outcome());
    assertEquals(WriterResult.Outcome.FAILED, failed.writers().get(1).outcome());
    assertFalse(failed.applied());
    assertTrue(bed.sh("nft list set inet feishu_ipsync allow_v4").contains("198.51.100.12"),
        "the kernel side was applied");
    assertEquals(ips("198.51.100.10", "198.51.100.11"), store.loadSnapshot().entries(), "snapshot not advanced");

    ec2.failures.clear();
    SyncResult repaired = syncer.runOnce(normal);
    assertEquals(SyncResult.Outcome.SUCCESS, repaired.outcome(), repaired.message());
    assertEquals(WriterResult.Outcome.UNCHANGED, repaired.writers().get(0).outcome());
    assertEquals(WriterResult.Outcome.CHANGED, repaired.writers().get(1).outcome());
    assertEquals(3, ec2.groups.get(group).size());
    assertEquals(list[0], store.loadSnapshot().entries());
  }
}

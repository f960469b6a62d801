package io.feishuipsync.writer.aliyun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.properties.Ranges;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterFixtures;
import java.util.List;
import java.util.SortedSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The ECS security group writer, through the real SDK against the stateful {@link FakeEcs} (a fake, not the
 * service): for random lists of both families converged one after another, with foreign rules beside ours, what it
 * reads back is what it was asked to hold, and the foreign rules are untouched.
 */
class EcsReadBackProperties {

  static final String GROUP = "sg-props";

  @Provide
  Arbitrary<List<SortedSet<IpRange>>> lists() {
    return Ranges.lists(25).map(AddressSets::withoutCovered).list().ofMinSize(1).ofMaxSize(3);
  }

  @Property(tries = 40)
  void readsBackExactlyWhatItWasAskedToHold(@ForAll("lists") List<SortedSet<IpRange>> lists) throws Exception {
    try (FakeEcs ecs = new FakeEcs()) {
      ecs.addGroup(GROUP, 1000);
      ecs.addRule(GROUP, "ingress", "192.0.2.1/32", "443/443", "operator's own", "accept");
      ecs.addRule(GROUP, "ingress", "0.0.0.0/0", "22/22", "ssh", "accept");
      AliyunConnection c = AliyunConnection.of(FakeEcs.REGION, ecs.endpoint(), FakeEcs.ACCESS_KEY_ID,
          FakeEcs.ACCESS_KEY_SECRET, null, AliyunSecurityGroupWriterTest.NO_CREDENTIALS);
      Writer w = new EcsSecurityGroupWriter(new EcsSecurityGroupWriter.Target(FakeEcs.REGION, List.of(GROUP),
          List.of(new PortRange(443, 443)), "tcp", "feishu-ipsync", 1000), c::client, d -> {}, 50);
      for (SortedSet<IpRange> list : lists) {
        WriterFixtures.converge(w, list);
        SortedSet<IpRange> want = w.scope(list);
        // A rule identical to one of ours (192.0.2.1) is taken over when that address is listed (README).
        assertEquals(want, w.read().entries());
        assertTrue(w.read().inSync(want), "nothing else amiss");
      }
      assertTrue(ecs.rules(GROUP).stream().anyMatch(r -> "ssh".equals(r.description())), "foreign rule kept");
    }
  }
}

package io.feishuipsync.writer.tencent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.properties.Ranges;
import io.feishuipsync.writer.WriterFixtures;
import java.util.List;
import java.util.SortedSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The Tencent Cloud writer in both modes, through the real SDK against the stateful {@link FakeVpc} (a fake, not the
 * service): for random lists converged one after another, what it reads back is what it was asked to hold.
 */
class TencentReadBackProperties {

  @Provide
  Arbitrary<List<SortedSet<IpRange>>> lists() {
    return Ranges.lists(20).map(AddressSets::withoutCovered).list().ofMinSize(1).ofMaxSize(3);
  }

  Writer writer(FakeVpc vpc, String yaml) throws Exception {
    return TencentWriterType.create(ConfigLoader.mapper().treeToValue(ConfigLoader.mapper().readTree(
        TencentPolicyWriterTest.connection(vpc, FakeVpc.SECRET_KEY) + yaml), TencentWriterType.Settings.class),
        TencentTests.NO_CREDENTIALS, d -> {});
  }

  @Property(tries = 30)
  void bothModesReadBackExactlyWhatTheyWereAskedToHold(@ForAll("lists") List<SortedSet<IpRange>> lists,
      @ForAll boolean template) throws Exception {
    try (FakeVpc vpc = new FakeVpc()) {
      vpc.addGroup("sg-0props01");
      vpc.addPolicy("sg-0props01", "0.0.0.0/0", "22", "ssh");
      vpc.addTemplate("ipm-0props01");
      vpc.policyQuota = 1000;
      vpc.templateQuota = 1000;
      vpc.taskPolls = 0;
      Writer w = writer(vpc, template ? "mode: address_template\ntemplate_id: ipm-0props01\nmax_rules: 1000\n"
          : "group_ids: [sg-0props01]\nports: [443]\nmax_rules: 1000\n");
      for (SortedSet<IpRange> list : lists) {
        WriterFixtures.converge(w, list);
        assertEquals(w.scope(list), w.read().entries());
        assertTrue(w.read().inSync(w.scope(list)), "nothing else amiss");
      }
      assertEquals("ssh", vpc.ingress("sg-0props01").get(vpc.ingress("sg-0props01").size() - 1).description(),
          "the foreign policy is kept");
    }
  }
}

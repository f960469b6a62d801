package io.feishuipsync.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.properties.Ranges;
import io.feishuipsync.testbed.Held;
import io.feishuipsync.testbed.Testbed;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * The kernel writers' read-back against the real kernel: random lists of both families converged one after another
 * by the nftables writer and by the iptables writer (ipset, nf_tables flavour) inside a testbed container. After
 * each, the kernel, read with {@code nft -j} and {@code ipset list} apart from the writer, holds exactly the list,
 * and the writer's own read-back says it is in sync.
 */
class KernelReadBackPropertiesIT {

  static Testbed bed;

  @BeforeContainer
  static void start() {
    bed = Testbed.start();
  }

  @AfterContainer
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @BeforeTry
  void clean() {
    bed.sh("nft flush ruleset; ipset destroy 2>/dev/null; true");
  }

  @Provide
  Arbitrary<List<SortedSet<IpRange>>> lists() {
    return Ranges.lists(60).map(AddressSets::withoutCovered).list().ofMinSize(1).ofMaxSize(3);
  }

  @Property(tries = 12)
  void theNftablesWriterLeavesExactlyTheListInTheKernel(@ForAll("lists") List<SortedSet<IpRange>> lists)
      throws Exception {
    convergesEach("nftables", lists, KernelReadBackPropertiesIT::nftHolds);
  }

  @Property(tries = 12)
  void theIptablesWriterLeavesExactlyTheListInTheKernel(@ForAll("lists") List<SortedSet<IpRange>> lists)
      throws Exception {
    convergesEach("iptables", lists, KernelReadBackPropertiesIT::ipsetHolds);
  }

  /** What the kernel holds, read apart from the writer. */
  @FunctionalInterface
  interface Kernel {
    SortedSet<IpRange> holds() throws Exception;
  }

  static void convergesEach(String type, List<SortedSet<IpRange>> lists, Kernel kernel) throws Exception {
    Writer w = WriterFixtures.writer(type, "ports: [443]\n", bed.runner());
    for (SortedSet<IpRange> list : lists) {
      WriterFixtures.converge(w, list);
      assertEquals(list, kernel.holds(), "what the kernel holds");
      assertTrue(w.read().inSync(list), w.read().drift().toString());
    }
  }

  static SortedSet<IpRange> nftHolds() throws Exception {
    return Held.nftSets(bed.sh("nft -j list table inet feishu_ipsync"));
  }

  static SortedSet<IpRange> ipsetHolds() {
    TreeSet<IpRange> out = new TreeSet<>();
    for (String set : List.of("feishu-ipsync-v4", "feishu-ipsync-v6")) {
      out.addAll(Held.ipsetMembers(bed.sh("ipset list " + set)));
    }
    return out;
  }
}

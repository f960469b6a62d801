package io.feishuipsync.writer.aws;

import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * How the prefix list writer splits a change into ModifyManagedPrefixList calls, against {@link FakeEc2}, which
 * refuses any call that would leave the list above its max entries and any call naming a stale version (moto
 * enforces neither).
 */
class PrefixListBatchesTest {

  static final String ID = "pl-0aaaaaaaaaaaaaaaa";
  final FakeEc2 ec2 = new FakeEc2();
  final List<Duration> waits = new ArrayList<>();

  Writer writer() {
    return new PrefixListWriter(ID, "feishu-ipsync", () -> ec2, waits::add);
  }

  FakeEc2.PrefixList list(int maxEntries, int held) {
    FakeEc2.PrefixList list = new FakeEc2.PrefixList("IPv4", maxEntries);
    for (int i = 0; i < held; i++) {
      list.entries.put("192.0." + (2 + i / 256) + "." + (i % 256) + "/32", "old");
    }
    ec2.prefixLists.put(ID, list);
    return list;
  }

  static SortedSet<IpRange> fresh(int n) {
    TreeSet<IpRange> out = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      out.add(IpRange.parse("198.51." + (100 + i / 256) + "." + (i % 256)));
    }
    return out;
  }

  static SortedSet<IpRange> entries(FakeEc2.PrefixList list) {
    TreeSet<IpRange> out = new TreeSet<>();
    list.entries.keySet().forEach(c -> out.add(IpRange.parse(c)));
    return out;
  }

  @Test
  void changeThatFitsOneCallIsOneCallEvenOnAFullList() throws Exception {
    FakeEc2.PrefixList list = list(10, 10);
    TreeSet<IpRange> desired = new TreeSet<>(fresh(5));
    new TreeSet<>(entries(list)).headSet(IpRange.parse("192.0.2.5")).forEach(desired::add);
    converge(writer(), desired);
    assertEquals(List.of("modify " + ID + " +5 -5"), ec2.mutations);
    assertEquals(desired, entries(list));
    assertEquals(10, list.peak);
  }

  @Test
  void moreThanAHundredAdditionsNeverTakeTheListPastItsMaxEntries() throws Exception {
    FakeEc2.PrefixList list = list(200, 150);
    converge(writer(), fresh(200));
    assertEquals(fresh(200), entries(list));
    assertTrue(list.peak <= 200, "peak " + list.peak);
    assertEquals(List.of("modify " + ID + " +100 -50", "modify " + ID + " +100 -100"), ec2.mutations);
  }

  @Test
  void fullListReplacedEntirelyTakesRemovalsAlongWithEachBatch() throws Exception {
    FakeEc2.PrefixList list = list(250, 250);
    converge(writer(), fresh(250));
    assertEquals(fresh(250), entries(list));
    assertEquals(250, list.peak);
    assertEquals(List.of("modify " + ID + " +100 -100", "modify " + ID + " +100 -100", "modify " + ID + " +50 -50"),
        ec2.mutations);
  }

  @Test
  void secondWriterBetweenBatchesIsDetectedAndTheListStillConverges() throws Exception {
    FakeEc2.PrefixList list = list(1000, 0);
    int[] calls = {0};
    ec2.afterModify = () -> {
      if (++calls[0] == 1) {
        // Someone else, between our first and second call, drops an address we just added and adds one of theirs.
        list.entries.remove("198.51.100.0/32");
        list.entries.put("192.0.2.99/32", "someone");
        list.version++;
      }
    };
    converge(writer(), fresh(250));
    assertEquals(1, list.conflicts, "the second call named the version our first call made, and was refused");
    assertEquals(fresh(250), entries(list));
    assertTrue(list.peak <= 1000);
  }

  @Test
  void listStillBeingModifiedIsAwaitedAndEachCallNamesTheVersionThePreviousMade() throws Exception {
    ec2.settleDescribes = 2;
    FakeEc2.PrefixList list = list(1000, 0);
    converge(writer(), fresh(250));
    assertEquals(fresh(250), entries(list));
    assertEquals(0, list.conflicts);
    assertEquals(3, ec2.mutations.size());
    assertEquals(4, list.version);
    assertTrue(waits.contains(Duration.ofSeconds(1)), "waited for the list to settle: " + waits);
  }

  @Test
  void listAboveItsMaxEntriesWithNoOrderThatFitsIsRefusedBeforeAnyChange() {
    FakeEc2.PrefixList list = list(250, 400);
    SortedSet<IpRange> keep = new TreeSet<>(new ArrayList<>(entries(list)).subList(0, 250));
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(), keep));
    assertTrue(e.getMessage().contains("holds 400 entries, more than its max entries 250")
        && e.getMessage().contains("nothing changed"), e.getMessage());
    assertEquals(List.of(), ec2.mutations);
    assertEquals(400, list.entries.size());
  }

  @Test
  void everyPlanStaysWithinMaxEntriesAndTheCallLimits() {
    List<IpRange> pool = new ArrayList<>(fresh(800));
    for (int max : new int[] {1, 10, 100, 150, 250, 500}) {
      for (int held : new int[] {0, 1, 50, 99, 100, 101, 250, 500}) {
        for (int add : new int[] {0, 1, 99, 100, 101, 250}) {
          for (int remove = 0; remove <= held; remove += Math.max(1, held / 3)) {
            if (held > max || held + add - remove > max || held - remove + add < 0) {
              continue;
            }
            List<IpRange> adds = pool.subList(0, add);
            List<IpRange> removes = pool.subList(300, 300 + remove);
            List<PrefixListWriter.Batch> plan = PrefixListWriter.batches(held, max, adds, removes).orElseThrow(
                () -> new AssertionError("no plan for held " + held + " max " + max + " +" + add));
            int now = held;
            List<IpRange> added = new ArrayList<>();
            List<IpRange> removed = new ArrayList<>();
            for (PrefixListWriter.Batch b : plan) {
              assertTrue(b.add().size() <= 100 && b.remove().size() <= 100);
              now += b.add().size() - b.remove().size();
              assertTrue(now <= max, "held " + now + " > " + max);
              added.addAll(b.add());
              removed.addAll(b.remove());
            }
            assertEquals(adds, added);
            assertEquals(removes, removed);
            if (add <= 100 && remove <= 100) {
              assertEquals(add + remove == 0 ? 0 : 1, plan.size(), "fits one call");
            }
          }
        }
      }
    }
  }
}

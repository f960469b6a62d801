package io.feishuipsync.writer.aliyun;

import io.feishuipsync.writer.WriterContext;
import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.WriterFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Alibaba Cloud prefix list writer through the real ECS SDK against {@link FakeEcs}, a signature-checking fake. */
class AliyunPrefixListWriterTest {

  static final WriterContext NO_CREDENTIALS =
      new WriterContext(null, java.nio.file.Path.of("/tmp"), java.util.TreeSet::new, false, null);

  static final String LIST = "pl-bp1fakelist00001";

  final FakeEcs ecs = AliyunSecurityGroupWriterTest.open();
  final List<Duration> waits = new ArrayList<>();

  @AfterEach
  void close() {
    ecs.close();
  }

  Writer writer() {
    AliyunConnection c = AliyunConnection.of(FakeEcs.REGION, ecs.endpoint(), FakeEcs.ACCESS_KEY_ID,
        FakeEcs.ACCESS_KEY_SECRET, null, NO_CREDENTIALS);
    return new EcsPrefixListWriter(FakeEcs.REGION, LIST, "feishu-ipsync", c::client, waits::add);
  }

  @Test
  void keepsTheListsFamilyInOneCallPerChangeFromTheConfig() throws Exception {
    ecs.addPrefixList(LIST, "IPv4", 50);
    Writer w = WriterFixtures.writer("aliyun-prefix-list", String.join("\n",
        "region: " + FakeEcs.REGION, "endpoint: " + ecs.endpoint(), "access_key_id: " + FakeEcs.ACCESS_KEY_ID,
        "access_key_secret: " + FakeEcs.ACCESS_KEY_SECRET, "prefix_list_id: " + LIST), new ProcessCommandRunner());
    SortedSet<IpRange> list = new TreeSet<>(first(5));
    list.add(IpRange.parse("2001:db8::/64"));
    converge(w, list);
    assertEquals(5, ecs.entries(LIST).size());
    assertEquals("feishu-ipsync", ecs.entries(LIST).get("198.51.100.0/32"));
    SortedSet<IpRange> rotated = new TreeSet<>(first(8));
    rotated.removeAll(first(3));
    converge(w, rotated);
    assertEquals(2, ecs.mutations.size(), "one call per change: " + ecs.mutations);
    assertEquals(rotated, w.read().entries());
    w.teardown();
    assertEquals(Map.of(), ecs.entries(LIST));
    assertEquals(List.of(), ecs.rejected);
  }

  @Test
  void aListLargerThanMaxEntriesIsRefusedAndNothingChanges() throws Exception {
    ecs.addPrefixList(LIST, "IPv4", 10);
    converge(writer(), first(4));
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(), first(11)));
    assertTrue(e.getMessage().contains("room for 10 entries but 11 are needed; nothing changed"), e.getMessage());
    assertEquals(1, ecs.mutations.size());
  }

  @Test
  void aConcurrentChangeIsReadAgainAndThrottlingRetried() throws Exception {
    ecs.addPrefixList(LIST, "IPv4", 50);
    converge(writer(), first(3));
    ecs.beforeNext("ModifyPrefixList", () -> ecs.lists.get(LIST).entries().put("198.51.100.4/32", "someone"));
    ecs.failNext("DescribePrefixListAttributes", "Throttling.User");
    converge(writer(), first(6));
    assertEquals(6, ecs.entries(LIST).size());
    assertEquals(List.of(Duration.ofSeconds(1)), waits);
    assertEquals(List.of(), ecs.rejected);
  }

  @Test
  void aRefusedCallNamesTheRamAction() throws Exception {
    ecs.addPrefixList(LIST, "IPv4", 50);
    ecs.deny("ModifyPrefixList");
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(), first(2)));
    assertTrue(e.getMessage().contains("ModifyPrefixList was refused (Forbidden.RAM): the credentials need the RAM"
        + " action ecs:ModifyPrefixList"), e.getMessage());
    WriterException missing = assertThrows(WriterException.class,
        () -> new EcsPrefixListWriter(FakeEcs.REGION, "pl-bp1nosuchlist001", "feishu-ipsync",
            AliyunConnection.of(FakeEcs.REGION, ecs.endpoint(), FakeEcs.ACCESS_KEY_ID, FakeEcs.ACCESS_KEY_SECRET,
                null, NO_CREDENTIALS)::client, waits::add).check());
    assertTrue(missing.getMessage().contains("InvalidPrefixListId.NotFound"), missing.getMessage());
  }
}

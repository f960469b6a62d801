package io.feishuipsync.writer.huaweicloud;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.WriterFixtures;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mode {@code address_group} of the Huawei Cloud writer, through the real SDK against {@link FakeHuaweiVpc}. */
class HuaweiAddressGroupWriterTest {

  static final String V4 = "9ba14e42-2f5c-4b26-a7e9-5a1b0c3d4e5f";
  static final String V6 = "9ba14e42-2f5c-4b26-a7e9-5a1b0c3d4e60";

  final FakeHuaweiVpc vpc = HuaweiSecurityGroupWriterTest.open();

  @AfterEach
  void close() {
    vpc.close();
  }

  Writer writer(String group) throws Exception {
    return WriterFixtures.writer("huaweicloud-security-group", String.join("\n", "region: cn-north-4",
        "endpoint: " + vpc.endpoint(), "project_id: " + FakeHuaweiVpc.PROJECT, "access_key: " + FakeHuaweiVpc.AK,
        "secret_key: " + FakeHuaweiVpc.SK, "mode: address_group", "address_group_id: " + group),
        new ProcessCommandRunner());
  }

  @Test
  void theGroupHoldsTheListsFamilyAndEachChangeIsOneCall() throws Exception {
    vpc.addAddressGroup(V4, 4, 20);
    Writer w = writer(V4);
    SortedSet<IpRange> mixed = new TreeSet<>(first(5));
    mixed.addAll(ips("2001:db8::/64"));
    converge(w, mixed);
    assertEquals(5, vpc.addresses(V4).size());
    SortedSet<IpRange> rotated = new TreeSet<>(first(8));
    rotated.removeAll(first(3));
    converge(w, rotated);
    assertEquals(List.of("update " + V4 + " 5", "update " + V4 + " 5"), vpc.mutations, "one whole call a change");
    int before = vpc.mutations.size();
    converge(w, rotated);
    assertEquals(before, vpc.mutations.size(), "in sync");
    w.teardown();
    assertEquals(List.of(), vpc.addresses(V4));
    assertEquals(List.of(), vpc.rejected);
  }

  @Test
  void aListLargerThanTheCapacityIsRefusedWithNothingChanged() throws Exception {
    vpc.addAddressGroup(V4, 4, 3);
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(V4), first(5)));
    assertTrue(e.getMessage().contains("room for 3 entries but 5 are needed; nothing changed"), e.getMessage());
    assertEquals(List.of(), vpc.mutations);
  }

  @Test
  void anIpv6GroupAndThreeHundredEntries() throws Exception {
    vpc.addAddressGroup(V6, 6, 20);
    vpc.addAddressGroup(V4, 4, 300);
    SortedSet<IpRange> list = new TreeSet<>(first(300));
    list.addAll(ips("2001:db8::/64", "2001:db8:1::1"));
    converge(writer(V6), list);
    converge(writer(V4), list);
    assertEquals(List.of("2001:db8:1::1/128", "2001:db8::/64"), vpc.addresses(V6).stream().sorted().toList());
    assertEquals(300, vpc.addresses(V4).size());
    assertEquals(List.of(), vpc.rejected);
  }

  @Test
  void driftIsRepairedThrottlingWaitedOutAndAWrongSecretIsOneLine() throws Exception {
    vpc.addAddressGroup(V4, 4, 20);
    Writer w = writer(V4);
    converge(w, first(3));
    vpc.addressGroups.get(V4).ipSet.add("192.0.2.99/32");
    vpc.addressGroups.get(V4).ipSet.remove("198.51.100.1/32");
    w.check();
    assertTrue(!w.read().inSync(first(3)), "the change by hand is seen");
    vpc.failNext("UpdateAddressGroup", 429);
    converge(w, first(3));
    assertEquals(List.of("198.51.100.0/32", "198.51.100.1/32", "198.51.100.2/32"),
        vpc.addresses(V4).stream().sorted().toList());
    assertEquals(List.of(), vpc.rejected);
    Writer wrong = WriterFixtures.writer("huaweicloud-security-group", String.join("\n", "region: cn-north-4",
        "endpoint: " + vpc.endpoint(), "project_id: " + FakeHuaweiVpc.PROJECT, "access_key: " + FakeHuaweiVpc.AK,
        "secret_key: wrong-huawei-sk-0123456789", "mode: address_group", "address_group_id: " + V4),
        new ProcessCommandRunner());
    WriterException e = assertThrows(WriterException.class, wrong::check);
    assertTrue(e.getMessage().contains("ShowAddressGroup was not accepted (APIGW.0301)"), e.getMessage());
    assertTrue(!e.getMessage().contains("wrong-huawei-sk-0123456789"));
  }

  @Test
  void aMissingPermissionIsNamed() throws Exception {
    vpc.addAddressGroup(V4, 4, 20);
    vpc.deny("UpdateAddressGroup");
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(V4), first(2)));
    assertTrue(e.getMessage().contains("the credentials need the IAM permission vpc:addressGroups:update"),
        e.getMessage());
    assertEquals(List.of(), vpc.mutations);
  }
}

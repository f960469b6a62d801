package io.feishuipsync.writer.aliyun;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The CLB ACL writer through the real SLB SDK against {@link FakeSlb}: the contract, and CLB's IPv6 lists. */
class ClbAclWriterTest extends AclWriterContract {

  @Override
  AclStandIn open() {
    try {
      return new FakeSlb();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  String type() {
    return "aliyun-clb-acl";
  }

  @Override
  String version(String family) {
    return family.equals("v6") ? "ipv6" : "ipv4";
  }

  @Override
  Writer writer(String secret, int maxEntries) {
    return writer(fake.endpoint(), secret, maxEntries);
  }

  @Override
  Writer writerOn(String endpoint) {
    return writer(endpoint, AcsStandIn.ACCESS_KEY_SECRET, 300);
  }

  private Writer writer(String endpoint, String secret, int maxEntries) {
    AliyunConnection c = AliyunConnection.of(FakeSlb.REGION, endpoint, AcsStandIn.ACCESS_KEY_ID, secret, null,
        AliyunPrefixListWriterTest.NO_CREDENTIALS);
    return new ClbAclWriter(new AliyunAclWriterTypes.Target(FakeSlb.REGION, ACL, "feishu-ipsync", maxEntries),
        c::slb, waits::add);
  }

  @Override
  String addAction() {
    return "AddAccessControlListEntry";
  }

  @Override
  String readAction() {
    return "DescribeAccessControlListAttribute";
  }

  @Override
  int perCall() {
    return ClbAclWriter.PER_CALL;
  }

  @Override
  String ram() {
    return "slb";
  }

  @Test
  void anIpv6AclTakesTheListsIpv6Entries() throws Exception {
    fake.addAcl(ACL, "ipv6", 300);
    SortedSet<IpRange> mixed = new TreeSet<>(first(2));
    mixed.addAll(ips("2001:db8::/64", "2001:db8:1::1"));
    Writer w = writer();
    converge(w, mixed);
    assertEquals(Map.of("2001:db8::/64", "feishu-ipsync", "2001:db8:1::1/128", "feishu-ipsync"),
        fake.entries(ACL));
    assertEquals(List.of(), fake.rejected);
  }

  @Test
  void aFirstSyncOfAnEmptyWhitelistThatIsRefusedHalfWayKeepsWhatItAdded() throws Exception {
    // Empty and used as a whitelist: it admits everyone now. Taking the first batch back would admit everyone
    // again; keeping it admits only listed addresses.
    fake.addAcl(ACL, "ipv4", 60);
    fake.whitelist(ACL, "lb-bp1fake0001:443");
    fake.openedToAll = false;
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> converge(writer(), first(100)));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("the 50 entries this run had added stay"),
        e.getMessage());
    assertEquals(50, fake.entries(ACL).size());
    assertFalse(fake.openedToAll);
  }
}

package io.feishuipsync.writer.aliyun;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The ALB ACL writer through the real ALB SDK against {@link FakeAlb}: the contract, and ALB's asynchronous jobs. */
class AlbAclWriterTest extends AclWriterContract {

  @Override
  AclStandIn open() {
    try {
      return new FakeAlb();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  FakeAlb alb() {
    return (FakeAlb) fake;
  }

  @Override
  String type() {
    return "aliyun-alb-acl";
  }

  @Override
  String version(String family) {
    return switch (family) {
      case "v4" -> "IPv4";
      case "v6" -> "IPv6";
      default -> "DualStack";
    };
  }

  @Override
  Writer writer(String secret, int maxEntries) {
    return writer(fake.endpoint(), secret, maxEntries);
  }

  @Override
  Writer writerOn(String endpoint) {
    return writer(endpoint, AcsStandIn.ACCESS_KEY_SECRET, 500);
  }

  private Writer writer(String endpoint, String secret, int maxEntries) {
    AliyunConnection c = AliyunConnection.of(FakeEcs.REGION, endpoint, AcsStandIn.ACCESS_KEY_ID, secret, null,
        AliyunPrefixListWriterTest.NO_CREDENTIALS);
    return new AlbAclWriter(new AliyunAclWriterTypes.Target(FakeEcs.REGION, ACL, "feishu-ipsync", maxEntries),
        c::alb, waits::add);
  }

  @Override
  String addAction() {
    return "AddEntriesToAcl";
  }

  @Override
  String readAction() {
    return "ListAclEntries";
  }

  @Override
  int perCall() {
    return AlbAclWriter.PER_CALL;
  }

  @Override
  String ram() {
    return "alb";
  }

  @Test
  void eachJobIsWaitedForBeforeTheNextStepAndABusyAclIsWaitedOut() throws Exception {
    fake.addAcl(ACL, "IPv4", 500);
    alb().jobPolls = 2;
    Writer w = writer();
    converge(w, first(25));
    assertEquals(25, fake.entries(ACL).size());
    // Two jobs (20 + 5 entries), each asked about three times: 1 s, then 2 s between the asks.
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1),
        Duration.ofSeconds(2)), waits);
    waits.clear();
    alb().jobPolls = 0;
    fake.failNext("RemoveEntriesFromAcl", "IncorrectStatus.Acl");
    converge(w, first(20));
    assertEquals(20, fake.entries(ACL).size());
    assertEquals(1, waits.size(), "the busy ACL was waited out once: " + waits);
    assertEquals(List.of(), fake.rejected);
  }

  @Test
  void aJobThatFailsIsAnErrorAndWhatTheRunAddedIsTakenBack() throws Exception {
    fake.addAcl(ACL, "IPv4", 500);
    fake.put(ACL, OFFICE, "office");
    alb().jobPolls = 1;
    alb().failJobNext("");
    alb().failJobNext("QuotaExceeded.AclEntriesNum");
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(), first(30)));
    assertTrue(e.getMessage().contains("AddEntriesToAcl failed in job"), e.getMessage());
    assertTrue(e.getMessage().contains("the 20 entries this run had added were removed again"), e.getMessage());
    assertEquals(java.util.Map.of(OFFICE, "office"), fake.entries(ACL));
  }

  @Test
  void aDualStackAclTakesBothFamilies() throws Exception {
    fake.addAcl(ACL, "DualStack", 500);
    SortedSet<IpRange> mixed = new TreeSet<>(first(2));
    mixed.addAll(ips("2001:db8::/64", "2001:db8:1::1"));
    converge(writer(), mixed);
    assertEquals(4, fake.entries(ACL).size());
    assertEquals("feishu-ipsync", fake.entries(ACL).get("2001:db8::/64"));
    assertEquals(List.of(), fake.rejected);
  }
}

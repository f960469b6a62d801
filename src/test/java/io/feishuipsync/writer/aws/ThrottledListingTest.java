package io.feishuipsync.writer.aws;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.PortRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.ReferencedSecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * A listing throttled on a later page is listed again from the first page into a fresh list, so nothing is counted
 * twice; against {@link FakeEc2}, which pages listings and throttles the page it is told to.
 */
class ThrottledListingTest {

  final FakeEc2 ec2 = new FakeEc2();
  final List<Duration> waits = new ArrayList<>();
  final String group = ec2.addGroup("sg-0aaaaaaaaaaaaaaaa");

  Writer securityGroup(int maxRules) {
    return new SecurityGroupWriter(List.of(group), List.of(new PortRange(443, 443)), "tcp", "feishu-ipsync",
        maxRules, () -> ec2, waits::add);
  }

  @Test
  void throttledSecondPageDoesNotCountRulesTwiceTowardsTheQuota() throws Exception {
    for (int i = 0; i < 10; i++) {
      ec2.addRule(group, "192.0.2." + i + "/32", 22, "ssh");
    }
    ec2.pageSize = 4;
    ec2.failNext("DescribeSecurityGroupRules page 2", "RequestLimitExceeded");
    // 50 for Feishu + 10 foreign = exactly the quota of 60; counting page 1 twice would make it 64 and refuse.
    securityGroup(60).apply(first(50), ChangeSet.between(new TreeSet<>(), first(50)));
    assertEquals(60, ec2.groups.get(group).size());
    assertEquals(List.of(Duration.ofSeconds(1)), waits, "the throttled page was waited out once");
  }

  @Test
  void throttledSecondPageDoesNotDuplicateDrift() throws Exception {
    converge(securityGroup(60), first(6));
    // A rule with our marker that is not an address rule, listed first (on page 1).
    ec2.groups.get(group).add(0, SecurityGroupRule.builder().securityGroupRuleId("sgr-stray").groupId(group)
        .isEgress(false).ipProtocol("tcp").fromPort(443).toPort(443).description("feishu-ipsync")
        .referencedGroupInfo(ReferencedSecurityGroup.builder().groupId("sg-0bbbbbbbbbbbbbbbb").build()).build());
    ec2.pageSize = 3;
    ec2.failNext("DescribeSecurityGroupRules page 2", "RequestLimitExceeded");
    Holding h = securityGroup(60).read();
    assertEquals(first(6), h.entries());
    assertEquals(1, h.drift().size(), h.drift().toString());
  }

  @Test
  void throttledSecondPageOfPrefixListEntriesReadsEachEntryOnce() throws Exception {
    FakeEc2.PrefixList list = new FakeEc2.PrefixList("IPv4", 100);
    ec2.prefixLists.put("pl-0aaaaaaaaaaaaaaaa", list);
    Writer w = new PrefixListWriter("pl-0aaaaaaaaaaaaaaaa", "feishu-ipsync", () -> ec2, waits::add);
    converge(w, first(10));
    ec2.pageSize = 4;
    ec2.failNext("GetManagedPrefixListEntries page 2", "RequestLimitExceeded");
    assertTrue(w.read().inSync(first(10)));
    assertEquals(List.of(Duration.ofSeconds(1)), waits);
  }
}

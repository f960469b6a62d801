package io.feishuipsync.writer.aws;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.PortRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The AWS writers' handling of what moto does not enforce (quota, stale prefix list version, throttling, duplicate
 * and not-found answers), against a stateful fake of the EC2 client. The happy paths run against moto in
 * {@code AwsWritersIT}.
 */
class AwsWritersTest {

  final FakeEc2 ec2 = new FakeEc2();
  final List<Duration> waits = new ArrayList<>();
  final String group = ec2.addGroup("sg-0aaaaaaaaaaaaaaaa");

  Writer securityGroup(int maxRules) {
    return new SecurityGroupWriter(List.of(group), List.of(new PortRange(443, 443)), "tcp", "feishu-ipsync",
        maxRules, () -> ec2, waits::add);
  }

  Writer prefixList(String id) {
    return new PrefixListWriter(id, "feishu-ipsync", () -> ec2, waits::add);
  }

  @Test
  void listBeyondTheQuotaIsRefusedBeforeAnyChange() {
    for (int i = 0; i < 10; i++) {
      ec2.addRule(group, "192.0.2." + i + "/32", 22, "ssh");
    }
    WriterException e = assertThrows(WriterException.class, () -> converge(securityGroup(60), first(55)));
    assertTrue(e.getMessage().contains("65 IPv4 ingress rules") && e.getMessage().contains("55 for Feishu")
        && e.getMessage().contains("10 existing") && e.getMessage().contains("max_rules is 60")
        && e.getMessage().contains("aws-prefix-list"), e.getMessage());
    assertEquals(List.of(), ec2.mutations);
  }

  @Test
  void aQuotaRefusalPartWayTakesBackWhatTheRunAdded() throws Exception {
    // max_rules says 200, the account's real quota is 60: the first batch of 50 goes in, the second is refused.
    converge(securityGroup(200), first(5));
    SortedSet<IpRange> before = securityGroup(200).read().entries();
    WriterException e = assertThrows(WriterException.class, () -> converge(securityGroup(200), first(105)));
    assertTrue(e.getMessage().contains("RulesPerSecurityGroupLimitExceeded"), e.getMessage());
    assertTrue(e.getMessage().contains("rules this run had added to " + group + " were revoked again, it holds the"
        + " list it held before"), e.getMessage());
    assertEquals(before, securityGroup(200).read().entries(), "the old list, not half of the new one");
  }

  @Test
  void quotaCountsTheRulesHeldDuringTheUpdate() throws Exception {
    converge(securityGroup(60), first(40));
    SortedSet<IpRange> rotated = new TreeSet<>(first(60));
    rotated.removeAll(first(20));
    int before = ec2.mutations.size();
    // 40 held + 20 new = 60 at the peak: fits.
    converge(securityGroup(60), rotated);
    assertEquals(40, ec2.mutations.size() - before);
    // Now 20..59 are held; rotating 21 at once would need 61 at the peak.
    SortedSet<IpRange> further = new TreeSet<>(first(81));
    further.removeAll(first(41));
    int held = ec2.mutations.size();
    WriterException e = assertThrows(WriterException.class, () -> converge(securityGroup(60), further));
    assertTrue(e.getMessage().contains("61 for Feishu"), e.getMessage());
    assertEquals(held, ec2.mutations.size(), "nothing changed");
  }

  @Test
  void throttlingIsRetriedWithBackoff() throws Exception {
    ec2.failNext("AuthorizeSecurityGroupIngress", "RequestLimitExceeded", "RequestLimitExceeded");
    converge(securityGroup(60), first(3));
    assertEquals(3, ec2.groups.get(group).size());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
  }

  @Test
  void endlessThrottlingIsAClearError() {
    for (int i = 0; i < 10; i++) {
      ec2.failNext("DescribeSecurityGroupRules", "RequestLimitExceeded");
    }
    WriterException e = assertThrows(WriterException.class, () -> converge(securityGroup(60), first(3)));
    assertTrue(e.getMessage().contains("still throttled after 6 attempts"), e.getMessage());
  }

  @Test
  void duplicateMeansAlreadyDone() throws Exception {
    ec2.failNext("AuthorizeSecurityGroupIngress", "InvalidPermission.Duplicate");
    converge(securityGroup(60), first(3));
    // The first authorise "failed" as a duplicate; the fake never stored it, so the next run adds it.
    converge(securityGroup(60), first(3));
    assertEquals(3, ec2.groups.get(group).size());
  }

  @Test
  void notFoundMeansAlreadyRemoved() throws Exception {
    converge(securityGroup(60), first(5));
    ec2.failNext("RevokeSecurityGroupIngress", "InvalidSecurityGroupRuleId.NotFound");
    converge(securityGroup(60), first(2));
    assertEquals(2, ec2.groups.get(group).size());
  }

  @Test
  void addsComeBeforeRemovals() throws Exception {
    converge(securityGroup(60), first(3));
    ec2.mutations.clear();
    SortedSet<IpRange> next = new TreeSet<>(first(6));
    next.removeAll(first(3));
    converge(securityGroup(60), next);
    assertEquals(List.of("authorize", "authorize", "authorize", "revoke", "revoke", "revoke"),
        ec2.mutations.stream().map(m -> m.split(" ")[0]).toList());
  }

  @Test
  void foreignRulesAreNeverTouched() throws Exception {
    ec2.addRule(group, "192.0.2.1/32", 443, "monitoring");
    converge(securityGroup(60), first(2));
    converge(securityGroup(60), first(1));
    securityGroup(60).teardown();
    assertEquals(1, ec2.groups.get(group).size());
    assertEquals("monitoring", ec2.groups.get(group).get(0).description());
  }

  @Test
  void missingPermissionNamesTheIamAction() {
    ec2.failNext("AuthorizeSecurityGroupIngress", "UnauthorizedOperation");
    WriterException e = assertThrows(WriterException.class, () -> converge(securityGroup(60), first(1)));
    assertTrue(e.getMessage().contains("ec2:AuthorizeSecurityGroupIngress"), e.getMessage());
  }

  @Test
  void unknownGroupIsAClearError() {
    Writer w = new SecurityGroupWriter(List.of("sg-0bbbbbbbbbbbbbbbb"), List.of(new PortRange(443, 443)), "tcp",
        "feishu-ipsync", 60, () -> ec2, waits::add);
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("InvalidGroup.NotFound"), e.getMessage());
  }

  @Test
  void prefixListVersionConflictIsRetriedAfterReadingAgain() throws Exception {
    FakeEc2.PrefixList list = new FakeEc2.PrefixList("IPv4", 50);
    ec2.prefixLists.put("pl-0aaaaaaaaaaaaaaaa", list);
    int[] interfere = {1};
    ec2.beforeModify = () -> {
      if (interfere[0]-- > 0) {
        // Someone else adds an entry between our read and our modify.
        list.entries.put("192.0.2.99/32", "someone");
        list.version++;
      }
    };
    converge(prefixList("pl-0aaaaaaaaaaaaaaaa"), first(3));
    assertEquals(List.of("198.51.100.0/32", "198.51.100.1/32", "198.51.100.2/32"),
        new ArrayList<>(new TreeSet<>(list.entries.keySet())));
  }

  @Test
  void largePrefixListChangeAddsEverythingBeforeRemovingAnything() throws Exception {
    FakeEc2.PrefixList list = new FakeEc2.PrefixList("IPv4", 1000);
    ec2.prefixLists.put("pl-0aaaaaaaaaaaaaaaa", list);
    for (int i = 0; i < 150; i++) {
      list.entries.put("192.0.2." + i + "/32", "old");
    }
    converge(prefixList("pl-0aaaaaaaaaaaaaaaa"), first(250));
    assertEquals(List.of("modify pl-0aaaaaaaaaaaaaaaa +100 -0", "modify pl-0aaaaaaaaaaaaaaaa +100 -0",
        "modify pl-0aaaaaaaaaaaaaaaa +50 -100", "modify pl-0aaaaaaaaaaaaaaaa +0 -50"), ec2.mutations);
    assertEquals(250, list.entries.size());
  }

  @Test
  void prefixListTakesOnlyItsFamily() throws Exception {
    FakeEc2.PrefixList list = new FakeEc2.PrefixList("IPv6", 10);
    ec2.prefixLists.put("pl-0aaaaaaaaaaaaaaaa", list);
    TreeSet<IpRange> mixed = new TreeSet<>(first(2));
    mixed.add(IpRange.parse("2001:db8::1"));
    converge(prefixList("pl-0aaaaaaaaaaaaaaaa"), mixed);
    assertEquals(List.of("2001:db8::1/128"), new ArrayList<>(list.entries.keySet()));
  }

  @Test
  void missingPrefixListIsAClearError() {
    WriterException e = assertThrows(WriterException.class, prefixList("pl-0ccccccccccccccccc".substring(0, 20))::check);
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}

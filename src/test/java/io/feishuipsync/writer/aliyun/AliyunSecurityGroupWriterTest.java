package io.feishuipsync.writer.aliyun;

import io.feishuipsync.writer.WriterContext;
import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Alibaba Cloud security group writer driven through the real ECS SDK (tea-openapi, V3 signatures, HTTP) against
 * {@link FakeEcs}, a stateful fake of the ECS API that verifies every request's signature: no emulator of ECS
 * exists. Each test that expects success also asserts that the fake rejected no request.
 */
class AliyunSecurityGroupWriterTest {

  static final WriterContext NO_CREDENTIALS =
      new WriterContext(null, java.nio.file.Path.of("/tmp"), java.util.TreeSet::new, false, null);

  static final String GROUP = "sg-bp1fakegroup0001";
  static final String MARKER = "feishu-ipsync";

  final FakeEcs ecs = open();
  final List<Duration> waits = new ArrayList<>();

  static FakeEcs open() {
    try {
      return new FakeEcs();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() {
    ecs.close();
  }

  Writer writer(int maxRules, String secret, List<PortRange> ports) {
    ecs.groups.putIfAbsent(GROUP, new ArrayList<>());
    ecs.quota.putIfAbsent(GROUP, 200);
    AliyunConnection c = AliyunConnection.of(FakeEcs.REGION, ecs.endpoint(), FakeEcs.ACCESS_KEY_ID, secret, null,
        NO_CREDENTIALS);
    return new EcsSecurityGroupWriter(new EcsSecurityGroupWriter.Target(FakeEcs.REGION, List.of(GROUP), ports, "tcp",
        MARKER, maxRules), c::client, waits::add, 10);
  }

  Writer writer(int maxRules) {
    return writer(maxRules, FakeEcs.ACCESS_KEY_SECRET, List.of(new PortRange(443, 443)));
  }

  /** The addresses of our rules in the fake, per port range. */
  SortedSet<String> held(String ports) {
    return ecs.rules(GROUP).stream().filter(r -> MARKER.equals(r.description()) && r.portRange().equals(ports))
        .map(r -> r.v4() != null ? r.v4() : r.v6()).collect(Collectors.toCollection(TreeSet::new));
  }

  static SortedSet<String> text(SortedSet<IpRange> list) {
    return list.stream().map(IpRange::toString).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void createsOneRulePerAddressAndPortFromTheConfigThroughTheSdk() throws Exception {
    ecs.addGroup(GROUP, 200);
    Writer w = WriterFixtures.writer("aliyun-security-group", String.join("\n",
        "region: " + FakeEcs.REGION,
        "endpoint: " + ecs.endpoint(),
        "access_key_id: " + FakeEcs.ACCESS_KEY_ID,
        "access_key_secret: " + FakeEcs.ACCESS_KEY_SECRET,
        "group_ids: [" + GROUP + "]",
        "ports: [443, '8000-8100']"), new ProcessCommandRunner());
    SortedSet<IpRange> list = new TreeSet<>(first(3));
    list.add(IpRange.parse("2001:db8::/64"));
    converge(w, list);
    assertEquals(text(list), held("443/443"));
    assertEquals(text(list), held("8000/8100"));
    FakeEcs.Rule v6 = ecs.rules(GROUP).stream().filter(r -> r.v6() != null).findFirst().orElseThrow();
    assertEquals("2001:db8::/64", v6.v6());
    assertEquals("accept", v6.policy());
    assertEquals(list, w.read().entries());
    assertTrue(w.read().inSync(list));
    assertEquals(List.of(), ecs.rejected);
  }

  @Test
  void convergingAddsEveryNewRuleBeforeRemovingAnyOld() throws Exception {
    ecs.addGroup(GROUP, 200);
    converge(writer(200), first(5));
    int before = ecs.mutations.size();
    SortedSet<IpRange> rotated = new TreeSet<>(first(8));
    rotated.removeAll(first(3));
    converge(writer(200), rotated);
    List<String> change = ecs.mutations.subList(before, ecs.mutations.size());
    assertEquals(6, change.size(), change.toString());
    int lastAdd = -1;
    int firstRemove = change.size();
    for (int i = 0; i < change.size(); i++) {
      if (change.get(i).startsWith("authorize")) {
        lastAdd = i;
      } else {
        firstRemove = Math.min(firstRemove, i);
      }
    }
    assertTrue(lastAdd < firstRemove, "adds first: " + change);
    assertEquals(text(rotated), held("443/443"));
    assertTrue(writer(200).read().inSync(rotated));
    assertEquals(List.of(), ecs.rejected);
  }

  @Test
  void rulesWithoutTheMarkerAreNeverTouchedAndMarkedStraysAreRemoved() throws Exception {
    ecs.addGroup(GROUP, 200);
    ecs.addRule(GROUP, "ingress", "198.51.100.0/32", "80/80", "ops: office", "accept");
    ecs.addRule(GROUP, "ingress", "192.0.2.9/32", "22/22", "", "accept");
    ecs.addRule(GROUP, "egress", "192.0.2.10/32", "443/443", MARKER, "accept");
    ecs.addRule(GROUP, "ingress", "192.0.2.11/32", "443/443", MARKER, "drop");
    List<FakeEcs.Rule> foreign = ecs.rules(GROUP).subList(0, 3);
    Writer w = writer(200);
    assertFalse(w.read().drift().isEmpty(), "the marked drop rule is drift");
    converge(w, first(2));
    assertTrue(ecs.rules(GROUP).containsAll(foreign), "foreign rules stay: " + ecs.rules(GROUP));
    assertEquals(5, ecs.rules(GROUP).size(), "3 foreign + 2 ours; the marked drop rule is gone");
    assertTrue(w.read().inSync(first(2)));
    w.teardown();
    assertEquals(foreign, ecs.rules(GROUP));
  }

  @Test
  void aListBeyondTheQuotaAtThePeakIsRefusedAndNothingChanges() throws Exception {
    ecs.addGroup(GROUP, 200);
    for (int i = 0; i < 10; i++) {
      ecs.addRule(GROUP, i % 2 == 0 ? "ingress" : "egress", "192.0.2." + i + "/32", "22/22", "ssh", "accept");
    }
    converge(writer(30), first(20));
    int held = ecs.mutations.size();
    // 20 held and 20 others wanted: the final 30 rules fit, but 40 are held between the adds and the removals.
    SortedSet<IpRange> other = new TreeSet<>(first(40));
    other.removeAll(first(20));
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(30), other));
    assertEquals(1, e.getMessage().lines().count());
    assertTrue(e.getMessage().contains("would need 50 rules during the update (40 for Feishu, 10 others) but"
        + " max_rules is 30; nothing changed"), e.getMessage());
    assertEquals(held, ecs.mutations.size(), "nothing changed");
    assertEquals(text(first(20)), held("443/443"));
  }

  @Test
  void theServiceQuotaIsReportedWhenMaxRulesIsSetTooHigh() throws Exception {
    ecs.addGroup(GROUP, 5);
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(200), first(8)));
    assertTrue(e.getMessage().contains("AuthorizationLimitExceed"), e.getMessage());
    assertEquals(List.of(), ecs.mutations, "the batch was refused whole");
  }

  @Test
  void aQuotaRefusalPartWayTakesBackWhatTheRunAdded() throws Exception {
    // max_rules says 300, the group's real quota is 150: the first batch of 100 goes in, the second is refused.
    ecs.addGroup(GROUP, 150);
    converge(writer(300), first(10));
    SortedSet<String> before = held("443/443");
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(300), first(210)));
    assertTrue(e.getMessage().contains("AuthorizationLimitExceed"), e.getMessage());
    assertTrue(e.getMessage().contains("the 100 rules this run had added to " + GROUP + " were revoked again, it"
        + " holds the list it held before"), e.getMessage());
    assertEquals(before, held("443/443"), "the old list, not half of the new one");
  }

  @Test
  void aRuleOfOursWhoseDescriptionWasChangedByHandIsReclaimedOnceNotResentForEver() throws Exception {
    ecs.addGroup(GROUP, 200);
    converge(writer(200), first(3));
    // Someone edits one rule's description in the console: ECS then takes our rule as already there.
    List<FakeEcs.Rule> rules = ecs.groups.get(GROUP);
    FakeEcs.Rule edited = rules.get(0);
    rules.set(0, new FakeEcs.Rule(edited.id(), edited.direction(), edited.protocol(), edited.portRange(),
        edited.v4(), edited.v6(), "edited by hand", edited.policy(), edited.priority()));
    ecs.mutations.clear();
    Writer w = writer(200);
    assertFalse(w.read().inSync(first(3)), "the edited rule is not ours");
    converge(w, first(3));
    assertEquals(List.of("modify " + edited.id() + " description"), ecs.mutations, "reclaimed, not re-sent");
    assertEquals(text(first(3)), held("443/443"));
    for (int run = 0; run < 3; run++) {
      assertTrue(writer(200).read().inSync(first(3)), "in sync from then on");
    }
    assertEquals(1, ecs.mutations.size());
  }

  @Test
  void anUnchangedRunDescribesEachGroupOnce() throws Exception {
    ecs.addGroup(GROUP, 200);
    converge(writer(200), first(5));
    ecs.calls.clear();
    Writer w = writer(200);
    for (int run = 0; run < 3; run++) {
      converge(w, first(5));
    }
    converge(w, first(6));
    // Three unchanged runs and one that adds: one description each (the reading of check serves read and apply).
    assertEquals(4, ecs.calls.stream().filter(c -> c.startsWith("DescribeSecurityGroupAttribute")).count(),
        ecs.calls.toString());
    assertEquals(text(first(6)), held("443/443"));
  }

  @Test
  void throttlingIsRetriedWithBackoffAlsoInTheMiddleOfAListing() throws Exception {
    ecs.addGroup(GROUP, 200);
    converge(writer(200), first(25));
    waits.clear();
    ecs.failNext("AuthorizeSecurityGroup", "Throttling.User", "Throttling");
    ecs.failNext("DescribeSecurityGroupAttribute", "Throttling.Api");
    converge(writer(200), first(27));
    assertEquals(text(first(27)), held("443/443"));
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
    assertEquals(List.of(), ecs.rejected);
  }

  @Test
  void endlessThrottlingIsOneClearLine() throws Exception {
    ecs.addGroup(GROUP, 200);
    ecs.failNext("AuthorizeSecurityGroup", "Throttling.User", "Throttling.User", "Throttling.User",
        "Throttling.User", "Throttling.User", "Throttling.User");
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(200), first(2)));
    assertEquals("aliyun-security-group:" + GROUP + ": AuthorizeSecurityGroup is still throttled after 6 attempts"
        + " (Throttling.User)", e.getMessage().replaceAll(", request id .*", ""));
    assertEquals(5, waits.size());
    assertEquals(List.of(), ecs.mutations);
  }

  @Test
  void aRuleAddedOrRemovedMeanwhileByOthersCountsAsDone() throws Exception {
    ecs.addGroup(GROUP, 200);
    converge(writer(200), first(3));
    SortedSet<IpRange> next = new TreeSet<>(first(6));
    next.remove(first(1).first());
    // Another client adds one of the new rules just before our batch, and revokes one of the old ones.
    ecs.beforeNext("AuthorizeSecurityGroup",
        () -> ecs.addRule(GROUP, "ingress", "198.51.100.4/32", "443/443", MARKER, "accept"));
    ecs.beforeNext("RevokeSecurityGroup", () -> ecs.removeRule(GROUP, "198.51.100.0/32"));
    Writer w = writer(200);
    w.apply(next, io.feishuipsync.core.ChangeSet.between(w.read().entries(), next));
    assertEquals(text(next), held("443/443"));
    assertTrue(w.read().inSync(next));
    assertEquals(List.of(), ecs.rejected);
  }

  @Test
  void aRefusedCallNamesTheRamActionInOneLine() throws Exception {
    ecs.addGroup(GROUP, 200);
    converge(writer(200), first(3));
    ecs.deny("RevokeSecurityGroup");
    SortedSet<IpRange> next = new TreeSet<>(first(4));
    next.remove(first(1).first());
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(200), next));
    assertEquals(1, e.getMessage().lines().count());
    assertTrue(e.getMessage().startsWith("aliyun-security-group:" + GROUP + ": RevokeSecurityGroup was refused"
        + " (Forbidden.RAM): the credentials need the RAM action ecs:RevokeSecurityGroup, request id FAKE-"),
        e.getMessage());
    assertTrue(held("443/443").contains("198.51.100.3/32"), "the add before the refused remove is kept");
    ecs.deny("DescribeSecurityGroupAttribute");
    WriterException check = assertThrows(WriterException.class, () -> writer(200).check());
    assertTrue(check.getMessage().contains("RAM action ecs:DescribeSecurityGroupAttribute"), check.getMessage());
  }

  @Test
  void aWrongSecretIsRefusedByTheSignatureCheckAndNamed() {
    ecs.addGroup(GROUP, 200);
    Writer w = writer(200, "not-the-" + FakeEcs.ACCESS_KEY_SECRET, List.of(new PortRange(443, 443)));
    WriterException e = assertThrows(WriterException.class, () -> converge(w, first(2)));
    assertTrue(e.getMessage().contains("DescribeSecurityGroupAttribute was not accepted (SignatureDoesNotMatch):"
        + " check access_key_id and its secret"), e.getMessage());
    assertFalse(e.getMessage().contains(FakeEcs.ACCESS_KEY_SECRET), "the secret is never in a message");
    assertEquals(1, ecs.rejected.size(), ecs.rejected.toString());
    assertEquals(List.of(), ecs.mutations);
  }

  @Test
  void aMissingGroupFailsTheCheckAndChangesNothing() {
    Writer w = writer(200);
    ecs.groups.clear();
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("InvalidSecurityGroupId.NotFound"), e.getMessage());
    assertEquals(List.of(), ecs.mutations);
  }

  @Test
  void largeGroupsAreReadInPagesAndDriftIsRepaired() throws Exception {
    ecs.addGroup(GROUP, 200);
    for (int i = 0; i < 17; i++) {
      ecs.addRule(GROUP, "ingress", "192.0.2." + i + "/32", "22/22", "ssh", "accept");
    }
    converge(writer(200), first(30));
    ecs.calls.clear();
    assertTrue(writer(200).read().inSync(first(30)));
    // 47 rules in pages of 10: five pages, four of them reached with a NextToken.
    assertEquals(5, ecs.calls.size(), ecs.calls.toString());
    assertEquals(4, ecs.calls.stream().filter(c -> c.startsWith("DescribeSecurityGroupAttribute ")).count());
    ecs.removeRule(GROUP, "198.51.100.7/32");
    Writer w = writer(200);
    assertFalse(w.read().inSync(first(30)));
    converge(w, first(30));
    assertEquals(text(first(30)), held("443/443"));
    assertEquals(List.of(), ecs.rejected);
  }
}

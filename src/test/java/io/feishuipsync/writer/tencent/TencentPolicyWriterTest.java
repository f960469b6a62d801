package io.feishuipsync.writer.tencent;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Tencent Cloud writer in mode {@code policies}, driven through the real SDK against {@link FakeVpc}, a fake of
 * the VPC API over loopback HTTP that checks every request's TC3 signature and keeps each group's policies and
 * Version.
 */
class TencentPolicyWriterTest {

  static final String GROUP = "sg-0abc1234";

  final FakeVpc vpc = new FakeVpc();
  final List<Duration> waits = new ArrayList<>();

  TencentPolicyWriterTest() throws Exception {
    vpc.addGroup(GROUP);
  }

  @AfterEach
  void close() {
    vpc.close();
    assertEquals(List.of(), vpc.violations, "requests the real service would treat differently");
  }

  /** Settings as the config gives them, the connection to the fake first. */
  static String connection(FakeVpc vpc, String secretKey) {
    return "region: " + FakeVpc.REGION + "\nendpoint: " + vpc.endpoint() + "\nsecret_id: " + FakeVpc.SECRET_ID
        + "\nsecret_key: " + secretKey + "\n";
  }

  Writer writer(String extra) throws Exception {
    return build(connection(vpc, FakeVpc.SECRET_KEY) + "group_ids: [" + GROUP + "]\nports: [443]\n" + extra);
  }

  Writer build(String yaml) throws Exception {
    TencentWriterType.Settings s = ConfigLoader.mapper().treeToValue(ConfigLoader.mapper().readTree(yaml),
        TencentWriterType.Settings.class);
    return TencentWriterType.create(s, TencentTests.NO_CREDENTIALS, waits::add);
  }

  /** The addresses of the marked policies the group holds, in the group's order. */
  List<String> ours() {
    return vpc.ingress(GROUP).stream().filter(p -> p.description().equals("feishu-ipsync"))
        .map(p -> p.cidr() + p.ipv6() + ":" + p.protocol() + ":" + p.port() + ":" + p.action()).toList();
  }

  static SortedSet<IpRange> without(SortedSet<IpRange> all, SortedSet<IpRange> gone) {
    TreeSet<IpRange> out = new TreeSet<>(all);
    out.removeAll(gone);
    return out;
  }

  @Test
  void anEmptyGroupGetsOneMarkedAcceptPolicyPerAddressInOneCall() throws Exception {
    Writer w = writer("");
    converge(w, ips("198.51.100.7", "2001:db8::/64", "203.0.113.0/28"));
    assertEquals(List.of("create " + GROUP + " 3"), vpc.mutations);
    assertEquals(List.of("198.51.100.7/32:TCP:443:ACCEPT", "203.0.113.0/28:TCP:443:ACCEPT",
        "2001:db8::/64:TCP:443:ACCEPT"), ours());
    assertEquals(ips("198.51.100.7", "2001:db8::/64", "203.0.113.0/28"), w.read().entries());
    assertTrue(w.read().inSync(ips("198.51.100.7", "2001:db8::/64", "203.0.113.0/28")));
  }

  @Test
  void aChangedListIsAddedBeforeTheOldIsRemoved() throws Exception {
    converge(writer(""), first(4));
    vpc.mutations.clear();
    SortedSet<IpRange> next = without(first(6), first(2));
    converge(writer(""), next);
    assertEquals(List.of("create " + GROUP + " 2", "delete " + GROUP + " 2"), vpc.mutations);
    assertEquals(next, writer("").read().entries());
    assertEquals(4, ours().size());
  }

  @Test
  void policiesWithoutTheMarkerAreNeverTouched() throws Exception {
    vpc.addPolicy(GROUP, "198.51.100.0/32", "443", "monitoring");
    vpc.addPolicy(GROUP, "0.0.0.0/0", "22", "");
    converge(writer(""), first(2));
    converge(writer(""), first(1));
    writer("").teardown();
    assertEquals(List.of(new FakeVpc.Policy("TCP", "443", "198.51.100.0/32", "", "ACCEPT", "monitoring"),
        new FakeVpc.Policy("TCP", "22", "0.0.0.0/0", "", "ACCEPT", "")), vpc.ingress(GROUP));
  }

  @Test
  void aQuotaRefusalPartWayTakesBackWhatTheRunAdded() throws Exception {
    // max_rules says 300, the group's real quota is 150, and the CAM policy does not let the writer read it: the
    // first 100 go in, the next call is refused.
    vpc.policyQuota = 150;
    converge(writer("max_rules: 300\n"), first(10));
    List<String> before = ours();
    vpc.failNext("DescribeSecurityGroupLimits", "UnauthorizedOperation");
    WriterException e = assertThrows(WriterException.class, () -> converge(writer("max_rules: 300\n"), first(210)));
    assertTrue(e.getMessage().contains("LimitExceeded"), e.getMessage());
    assertTrue(e.getMessage().contains("the 100 policies this run had added to " + GROUP + " were deleted again, it"
        + " holds the list it held before"), e.getMessage());
    assertEquals(before, ours(), "the old list, not half of the new one");
  }

  @Test
  void theAccountsRealQuotaIsReadBeforeAChangeAndALowerOneCounts() throws Exception {
    vpc.policyQuota = 150;
    converge(writer("max_rules: 300\n"), first(10));
    vpc.mutations.clear();
    WriterException e = assertThrows(WriterException.class, () -> converge(writer("max_rules: 300\n"), first(210)));
    assertTrue(e.getMessage().contains("would need 210 ingress policies during the update (210 for Feishu, 0"
        + " others) but the account allows 150 (DescribeSecurityGroupLimits); nothing changed"), e.getMessage());
    assertEquals(List.of(), vpc.mutations, "refused before anything was sent");
  }

  @Test
  void anUnchangedRunDescribesEachGroupOnce() throws Exception {
    Writer w = writer("");
    converge(w, first(5));
    vpc.requests.clear();
    for (int run = 0; run < 3; run++) {
      converge(w, first(5));
    }
    assertEquals(3, vpc.requests.stream().filter(c -> c.equals("DescribeSecurityGroupPolicies")).count(),
        vpc.requests.toString());
  }

  @Test
  void aGroupChangedMeanwhileIsReadAgainAndConverges() throws Exception {
    converge(writer(""), first(2));
    int[] interfere = {2};
    vpc.beforeChange = () -> {
      if (interfere[0]-- > 0) {
        // Someone else adds a policy between our read and our change: the Version we name is stale.
        vpc.groups.get(GROUP).ingress.add(0, new FakeVpc.Policy("UDP", "53", "192.0.2.1/32", "", "ACCEPT", "dns"));
        vpc.groups.get(GROUP).version++;
      }
    };
    vpc.mutations.clear();
    SortedSet<IpRange> next = without(first(4), first(1));
    converge(writer(""), next);
    assertEquals(List.of("create " + GROUP + " 2", "delete " + GROUP + " 1"), vpc.mutations);
    assertEquals(next, writer("").read().entries());
    assertEquals(2, vpc.ingress(GROUP).stream().filter(p -> p.description().equals("dns")).count());
  }

  @Test
  void aGroupThatKeepsChangingIsAClearErrorAfterBoundedRetries() throws Exception {
    vpc.beforeChange = () -> vpc.groups.get(GROUP).version++;
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(""), first(1)));
    assertTrue(e.getMessage().contains("VersionMismatch"), e.getMessage());
    assertEquals(List.of(), vpc.mutations);
    assertEquals(PolicyWriter.MAX_CONFLICTS, vpc.requests.stream()
        .filter("CreateSecurityGroupPolicies"::equals).count());
  }

  @Test
  void aListBeyondTheQuotaIsRefusedBeforeAnyChange() throws Exception {
    for (int i = 0; i < 8; i++) {
      vpc.addPolicy(GROUP, "192.0.2." + i + "/32", "22", "ssh");
    }
    converge(writer("max_rules: 12\n"), first(4));
    vpc.mutations.clear();
    // 4 held + 1 new + 8 others = 13 at the peak, before the removal: refused though the end state would fit.
    SortedSet<IpRange> rotated = without(first(5), first(1));
    WriterException e = assertThrows(WriterException.class, () -> converge(writer("max_rules: 12\n"), rotated));
    assertTrue(e.getMessage().contains("would need 13 ingress policies during the update (5 for Feishu, 8 others)")
        && e.getMessage().contains("max_rules is 12") && e.getMessage().contains("nothing changed"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertEquals(List.of(), vpc.mutations);
    assertEquals(first(4), writer("").read().entries());
  }

  @Test
  void throttlingIsRetriedWithBackoff() throws Exception {
    vpc.failNext("CreateSecurityGroupPolicies", "RequestLimitExceeded", "RequestLimitExceeded");
    vpc.failNext("DescribeSecurityGroupPolicies", "RequestLimitExceeded.UinLimitExceeded");
    converge(writer(""), first(3));
    assertEquals(first(3), writer("").read().entries());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
  }

  @Test
  void endlessThrottlingIsAClearError() throws Exception {
    vpc.failNext("DescribeSecurityGroupPolicies", "RequestLimitExceeded", "RequestLimitExceeded",
        "RequestLimitExceeded", "RequestLimitExceeded", "RequestLimitExceeded", "RequestLimitExceeded");
    WriterException e = assertThrows(WriterException.class, () -> writer("").check());
    assertTrue(e.getMessage().contains("still throttled after 6 attempts"), e.getMessage());
  }

  @Test
  void aMissingPermissionNamesTheCamActionInOneLine() throws Exception {
    converge(writer(""), first(2));
    vpc.failNext("DeleteSecurityGroupPolicies", "AuthFailure.UnauthorizedOperation");
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(""), first(1)));
    assertTrue(e.getMessage().contains("the credentials need the CAM action vpc:DeleteSecurityGroupPolicies"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aWrongSecretIsRefusedByTheSignatureCheckAndNeverPrinted() throws Exception {
    Writer w = build(connection(vpc, "not-the-right-secret-key") + "group_ids: [" + GROUP + "]\nports: [443]\n");
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("credentials were refused (AuthFailure.SignatureFailure)"), e.getMessage());
    assertFalse(e.getMessage().contains("not-the-right-secret-key"));
    assertEquals(List.of(), vpc.mutations);
  }

  @Test
  void anUnknownGroupFailsTheCheckWithoutChangingAnything() throws Exception {
    Writer w = build(connection(vpc, FakeVpc.SECRET_KEY) + "group_ids: [" + GROUP + ", sg-0def5678]\nports: [443]\n");
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("DescribeSecurityGroupPolicies failed: ResourceNotFound"), e.getMessage());
    assertEquals(List.of(), vpc.mutations);
  }

  @Test
  void portRangesAndUdpAreWrittenAsTheApiSpellsThem() throws Exception {
    converge(build(connection(vpc, FakeVpc.SECRET_KEY) + "group_ids: [" + GROUP + "]\nports: ['8000-8010', 9000]\n"
        + "protocol: udp\n"), first(1));
    assertEquals(List.of("198.51.100.0/32:UDP:8000-8010:ACCEPT", "198.51.100.0/32:UDP:9000:ACCEPT"), ours());
  }

  @Test
  void aLargeChangeIsMadeInCallsOfAtMostOneHundredPolicies() throws Exception {
    vpc.policyQuota = 300;
    converge(writer("max_rules: 300\n"), first(250));
    assertEquals(List.of("create " + GROUP + " 100", "create " + GROUP + " 100", "create " + GROUP + " 50"),
        vpc.mutations);
    vpc.mutations.clear();
    converge(writer("max_rules: 300\n"), first(10));
    assertEquals(List.of("delete " + GROUP + " 100", "delete " + GROUP + " 100", "delete " + GROUP + " 40"),
        vpc.mutations);
    assertEquals(first(10), writer("").read().entries());
  }

  @Test
  void anAddressTheOperatorsIdenticalPolicyAllowsIsLeftToIt() throws Exception {
    vpc.addPolicy(GROUP, "198.51.100.1/32", "443", "partner, by hand");
    converge(writer(""), first(3));
    assertEquals(List.of("create " + GROUP + " 2"), vpc.mutations);
    assertTrue(writer("").read().inSync(first(3)), "no drift: the address is admitted, by the operator's policy");
    converge(writer(""), first(3));
    // Down to 198.51.100.0 alone: ours for .2 goes; the operator's policy for .1 stays, as every foreign one.
    converge(writer(""), first(1));
    assertEquals(List.of("create " + GROUP + " 2", "delete " + GROUP + " 1"), vpc.mutations);
    assertEquals(List.of(new FakeVpc.Policy("TCP", "443", "198.51.100.1/32", "", "ACCEPT", "partner, by hand")),
        vpc.ingress(GROUP).stream().filter(p -> !p.description().equals("feishu-ipsync")).toList());
  }
}

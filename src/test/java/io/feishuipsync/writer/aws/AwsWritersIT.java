package io.feishuipsync.writer.aws;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.testbed.Testbed;
import io.feishuipsync.writer.WriterFixtures;
import java.net.URI;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/** The AWS writers through the real AWS SDK against moto's EC2 in a testbed container. */
class AwsWritersIT {

  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  @RegisterExtension
  static final Testbed bed = Testbed.motoPerClass();
  static Ec2Client ec2;

  @BeforeAll
  static void start() {
    ec2 = Ec2Client.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(bed.motoEndpoint()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  @AfterAll
  static void stop() {
    if (ec2 != null) {
      ec2.close();
    }
  }

  static Writer writer(String type, String yaml) throws Exception {
    String full = yaml + "region: eu-west-1\nendpoint: " + bed.motoEndpoint() + "\naccess_key_id: " + KEY_ID
        + "\nsecret_access_key: " + SECRET + "\n";
    return WriterFixtures.writer(type, full, new ProcessCommandRunner());
  }

  static String newGroupWithForeignRules() {
    String vpc = ec2.createVpc(b -> b.cidrBlock("198.18.0.0/16")).vpc().vpcId();
    String group = ec2.createSecurityGroup(b -> b.groupName("callback-" + System.nanoTime())
        .description("callback endpoint").vpcId(vpc)).groupId();
    ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(
        IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
            .ipRanges(r -> r.cidrIp("192.0.2.0/24").description("office ssh")).build(),
        IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
            .ipRanges(r -> r.cidrIp("203.0.113.250/32").description("monitoring")).build()));
    return group;
  }

  /** Ingress rules as DescribeSecurityGroupRules returns them: "description cidr from-to". */
  static SortedSet<String> rulesOf(String group) {
    TreeSet<String> out = new TreeSet<>();
    for (SecurityGroupRule r : ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id")
        .values(group).build())).securityGroupRules()) {
      if (!Boolean.TRUE.equals(r.isEgress())) {
        out.add(r.description() + " " + (r.cidrIpv4() != null ? r.cidrIpv4() : r.cidrIpv6()) + " " + r.ipProtocol()
            + " " + r.fromPort() + "-" + r.toPort());
      }
    }
    return out;
  }

  static SortedSet<String> expected(SortedSet<IpRange> ours, String ports) {
    TreeSet<String> out = new TreeSet<>(java.util.List.of("office ssh 192.0.2.0/24 tcp 22-22",
        "monitoring 203.0.113.250/32 tcp 443-443"));
    ours.forEach(r -> out.add("feishu-ipsync " + r + " tcp " + ports));
    return out;
  }

  @Test
  void securityGroupHoldsExactlyTheListBesideUntouchedForeignRules() throws Exception {
    String group = newGroupWithForeignRules();
    Writer w = writer("aws-security-group", "group_ids: [" + group + "]\nports: [443]\n");

    SortedSet<IpRange> first = ips("198.51.100.10", "198.51.100.11", "2001:db8::10", "2001:db8:1::/48");
    converge(w, first);
    assertEquals(expected(first, "443-443"), rulesOf(group));

    SortedSet<IpRange> changed = ips("198.51.100.10", "203.0.113.0/25", "2001:db8::11");
    converge(w, changed);
    assertEquals(expected(changed, "443-443"), rulesOf(group));

    SortedSet<IpRange> shrunk = ips("2001:db8::11");
    converge(w, shrunk);
    assertEquals(expected(shrunk, "443-443"), rulesOf(group));
    assertTrue(w.read().inSync(shrunk));
  }

  @Test
  void portRangeAndSeveralGroups() throws Exception {
    String a = newGroupWithForeignRules();
    String b = newGroupWithForeignRules();
    Writer w = writer("aws-security-group", "group_ids: [" + a + ", " + b + "]\nports: [\"8000-8100\"]\n");
    SortedSet<IpRange> list = ips("198.51.100.10", "2001:db8::10");
    converge(w, list);
    assertEquals(expected(list, "8000-8100"), rulesOf(a));
    assertEquals(expected(list, "8000-8100"), rulesOf(b));
  }

  @Test
  void ruleRemovedBySomeoneElseIsRestored() throws Exception {
    String group = newGroupWithForeignRules();
    Writer w = writer("aws-security-group", "group_ids: [" + group + "]\nports: [443]\n");
    SortedSet<IpRange> list = ips("198.51.100.10", "198.51.100.11");
    converge(w, list);
    String id = ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(group)
        .build())).securityGroupRules().stream().filter(r -> "feishu-ipsync".equals(r.description()))
        .findFirst().orElseThrow().securityGroupRuleId();
    ec2.revokeSecurityGroupIngress(b -> b.groupId(group).securityGroupRuleIds(id));
    assertFalse(w.read().inSync(list));
    converge(w, list);
    assertEquals(expected(list, "443-443"), rulesOf(group));
  }

  @Test
  void unknownGroupIsAClearError() throws Exception {
    Writer w = writer("aws-security-group", "group_ids: [sg-0123456789abcdef0]\nports: [443]\n");
    WriterException e = org.junit.jupiter.api.Assertions.assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("sg-0123456789abcdef0") || e.getMessage().contains("InvalidGroup"),
        e.getMessage());
    assertFalse(e.getMessage().contains(SECRET));
  }

  @Test
  void prefixListHoldsExactlyTheListOfItsFamily() throws Exception {
    var created = ec2.createManagedPrefixList(b -> b.prefixListName("feishu-" + System.nanoTime())
        .addressFamily("IPv4").maxEntries(10)).prefixList();
    Writer w = writer("aws-prefix-list", "prefix_list_id: " + created.prefixListId() + "\n");

    converge(w, ips("198.51.100.10", "198.51.100.11", "2001:db8::10"));
    assertEquals(ips("198.51.100.10", "198.51.100.11"), listEntries(created.prefixListId()));
    long v1 = version(created.prefixListId());

    converge(w, ips("198.51.100.11", "203.0.113.0/24", "2001:db8::10"));
    assertEquals(ips("198.51.100.11", "203.0.113.0/24"), listEntries(created.prefixListId()));
    assertTrue(version(created.prefixListId()) > v1, "each change advances the version");

    long v2 = version(created.prefixListId());
    converge(w, ips("198.51.100.11", "203.0.113.0/24"));
    assertEquals(v2, version(created.prefixListId()), "nothing to change, no new version");
  }

  @Test
  void prefixListTooSmallIsRefusedAndUnchanged() throws Exception {
    var created = ec2.createManagedPrefixList(b -> b.prefixListName("small-" + System.nanoTime())
        .addressFamily("IPv4").maxEntries(2)).prefixList();
    Writer w = writer("aws-prefix-list", "prefix_list_id: " + created.prefixListId() + "\n");
    converge(w, ips("198.51.100.10"));
    WriterException e = org.junit.jupiter.api.Assertions.assertThrows(WriterException.class,
        () -> converge(w, ips("198.51.100.10", "198.51.100.11", "198.51.100.12")));
    assertTrue(e.getMessage().contains("room for 2 entries but 3"), e.getMessage());
    assertEquals(ips("198.51.100.10"), listEntries(created.prefixListId()));
  }

  @Test
  void fullPrefixListIsRotatedInOneCallThatAddsAndRemoves() throws Exception {
    var created = ec2.createManagedPrefixList(b -> b.prefixListName("full-" + System.nanoTime())
        .addressFamily("IPv4").maxEntries(3)).prefixList();
    Writer w = writer("aws-prefix-list", "prefix_list_id: " + created.prefixListId() + "\n");
    converge(w, ips("198.51.100.10", "198.51.100.11", "198.51.100.12"));
    long before = version(created.prefixListId());

    // Two of three replaced on a full list: only one call holding both the additions and the removals fits.
    converge(w, ips("198.51.100.12", "203.0.113.1", "203.0.113.2"));
    assertEquals(ips("198.51.100.12", "203.0.113.1", "203.0.113.2"), listEntries(created.prefixListId()));
    assertEquals(before + 1, version(created.prefixListId()), "one ModifyManagedPrefixList call");
    assertTrue(w.read().inSync(ips("198.51.100.12", "203.0.113.1", "203.0.113.2")));
  }

  static SortedSet<IpRange> listEntries(String id) {
    TreeSet<IpRange> out = new TreeSet<>();
    ec2.getManagedPrefixListEntries(b -> b.prefixListId(id)).entries().forEach(e -> out.add(IpRange.parse(e.cidr())));
    return out;
  }

  static long version(String id) {
    return ec2.describeManagedPrefixLists(b -> b.prefixListIds(id)).prefixLists().get(0).version();
  }
}

package io.feishuipsync.writer.volcengine;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.Relay;
import io.feishuipsync.writer.WriterFixtures;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Volcano Engine security group writer, signing its own requests over HttpClient 5, against {@link FakeVolc},
 * which checks every signature independently. Each test that expects success asserts that no request was rejected.
 */
class VolcSecurityGroupWriterTest {

  static final String GROUP = "sg-2fepz6ouu7ke859gp6fake";
  static final String OTHER = "sg-2fepz6ouu7ke859gp6fakf";

  final FakeVolc volc = open();
  final List<Duration> waits = new ArrayList<>();

  static FakeVolc open() {
    try {
      return new FakeVolc();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() {
    volc.close();
  }

  static String yaml(String endpoint, String secret, String... more) {
    List<String> lines = new ArrayList<>(List.of("region: " + FakeVolc.REGION, "endpoint: " + endpoint,
        "access_key_id: " + FakeVolc.AK, "secret_access_key: \"" + secret + "\"", "group_ids: [" + GROUP + "]",
        "ports: [443]"));
    lines.addAll(List.of(more));
    return String.join("\n", lines);
  }

  Writer configured() throws Exception {
    return WriterFixtures.writer("volcengine-security-group", yaml(volc.endpoint(), FakeVolc.SK),
        new ProcessCommandRunner());
  }

  Writer writer(List<String> groups, int maxRules, String secret) {
    Lazy<VolcApi, RuntimeException> api = new Lazy<>(() -> new VolcApi(URI.create(volc.endpoint()), FakeVolc.REGION,
        "vpc", "2020-04-01", FakeVolc.AK, Secret.of(secret), Clock.systemUTC()));
    return new VolcSecurityGroupWriter(new VolcSecurityGroupWriter.Target(FakeVolc.REGION, groups,
        List.of(new PortRange(443, 443)), "tcp", "feishu-ipsync", maxRules), api, waits::add);
  }

  @Test
  void aFirstSyncKeepsForeignRulesAndAChangeAuthorisesBeforeItRevokes() throws Exception {
    volc.addGroup(GROUP, 100);
    volc.addRule(GROUP, "0.0.0.0/0", 22, "ssh, the operator's");
    Writer w = configured();
    converge(w, first(4));
    assertEquals(5, volc.rules(GROUP).size());
    w.check();
    assertEquals(first(4), w.read().entries());
    volc.mutations.clear();
    SortedSet<IpRange> rotated = new TreeSet<>(first(6));
    rotated.removeAll(first(2));
    converge(w, rotated);
    assertEquals(List.of("authorize 198.51.100.4/32 443", "authorize 198.51.100.5/32 443",
        "revoke 198.51.100.0/32 443", "revoke 198.51.100.1/32 443"), volc.mutations);
    assertTrue(volc.rules(GROUP).stream().anyMatch(r -> r.description().equals("ssh, the operator's")));
    int before = volc.mutations.size();
    converge(w, rotated);
    assertEquals(before, volc.mutations.size(), "in sync");
    assertEquals(List.of(), volc.rejected);
  }

  @Test
  void teardownRevokesOnlyTheMarkedRules() throws Exception {
    volc.addGroup(GROUP, 100);
    volc.addRule(GROUP, "0.0.0.0/0", 22, "ssh, the operator's");
    Writer w = configured();
    converge(w, first(3));
    w.teardown();
    assertEquals(List.of("ssh, the operator's"), volc.rules(GROUP).stream().map(FakeVolc.Rule::description)
        .toList());
    assertEquals(List.of(), volc.rejected);
  }

  @Test
  void driftIsFoundAndRepaired() throws Exception {
    volc.addGroup(GROUP, 100);
    Writer w = configured();
    converge(w, first(3));
    volc.groups.get(GROUP).remove(1);
    volc.addRule(GROUP, "192.0.2.99/32", 443, "feishu-ipsync");
    w.check();
    assertFalse(w.read().inSync(first(3)));
    converge(w, first(3));
    w.check();
    assertTrue(w.read().inSync(first(3)));
    assertEquals(3, volc.rules(GROUP).size());
    assertEquals(List.of(), volc.rejected);
  }

  @Test
  void aQuotaTooSmallAtThePeakIsRefusedAndARefusalHalfWayRolledBack() throws Exception {
    volc.addGroup(GROUP, 100);
    volc.addRule(GROUP, "0.0.0.0/0", 22, "ssh");
    converge(writer(List.of(GROUP), 7, FakeVolc.SK), first(5));
    volc.mutations.clear();
    SortedSet<IpRange> rotated = new TreeSet<>(first(8));
    rotated.removeAll(first(3));
    WriterException e = assertThrows(WriterException.class,
        () -> converge(writer(List.of(GROUP), 7, FakeVolc.SK), rotated));
    assertTrue(e.getMessage().contains("would need 9 rules during the update"), e.getMessage());
    assertEquals(List.of(), volc.mutations);

    volc.quota.put(GROUP, 8);
    WriterException half = assertThrows(WriterException.class,
        () -> converge(writer(List.of(GROUP), 100, FakeVolc.SK), rotated));
    assertTrue(half.getMessage().contains("QuotaExceeded.SecurityGroupRule"), half.getMessage());
    assertTrue(half.getMessage().contains("the 2 rules this run had added to " + GROUP + " were revoked again"),
        half.getMessage());
    assertEquals(6, volc.rules(GROUP).size(), "what it held before");
  }

  @Test
  void throttlingIsWaitedOut() throws Exception {
    volc.addGroup(GROUP, 100);
    volc.failNext("AuthorizeSecurityGroupIngress", "FlowLimitExceeded", "FlowLimitExceeded");
    volc.failNext("DescribeSecurityGroupAttributes", "FlowLimitExceeded");
    converge(writer(List.of(GROUP), 100, FakeVolc.SK), first(3));
    assertEquals(3, volc.rules(GROUP).size());
    assertEquals(3, waits.size(), waits.toString());
    assertEquals(List.of(), volc.rejected);
  }

  @Test
  void aWrongSecretIsOneClearLineWithoutTheSecretAndAMissingPermissionIsNamed() throws Exception {
    volc.addGroup(GROUP, 100);
    String wrong = "wrong-volc-secret-0123456789XYZ";
    WriterException e = assertThrows(WriterException.class, () -> writer(List.of(GROUP), 100, wrong).check());
    assertTrue(e.getMessage().contains("DescribeSecurityGroupAttributes was not accepted (SignatureDoesNotMatch):"
        + " check access_key_id and its secret_access_key"), e.getMessage());
    assertFalse(e.getMessage().contains(wrong) || e.getMessage().contains(FakeVolc.SK) || e.getMessage()
        .contains("\n"));
    volc.deny("AuthorizeSecurityGroupIngress");
    WriterException denied = assertThrows(WriterException.class, () -> converge(configured(), first(2)));
    assertTrue(denied.getMessage().contains("the credentials need the IAM action vpc:AuthorizeSecurityGroupIngress"),
        denied.getMessage());
    assertEquals(List.of(), volc.mutations);
  }

  @Test
  void ipv6AndTwoGroupsAndThreeHundredRules() throws Exception {
    volc.addGroup(GROUP, 400);
    volc.addGroup(OTHER, 400);
    SortedSet<IpRange> list = new TreeSet<>(first(298));
    list.addAll(ips("2001:db8::/64", "2001:db8:1::1"));
    Writer w = writer(List.of(GROUP, OTHER), 400, FakeVolc.SK);
    converge(w, list);
    for (String g : List.of(GROUP, OTHER)) {
      assertEquals(300, volc.rules(g).size());
      assertTrue(volc.rules(g).stream().anyMatch(r -> r.cidr().equals("2001:db8::/64")));
    }
    w.check();
    assertTrue(w.read().inSync(list));
    assertEquals(List.of(), volc.rejected);
  }

  @Test
  void aSignatureTheRelayChangedIsRefused() throws Exception {
    volc.addGroup(GROUP, 100);
    volc.addGroup(OTHER, 100);
    try (ServerSocket tampering = Relay.of(volc.port(), GROUP, OTHER)) {
      Writer w = WriterFixtures.writer("volcengine-security-group",
          yaml("http://127.0.0.1:" + tampering.getLocalPort(), FakeVolc.SK), new ProcessCommandRunner());
      WriterException e = assertThrows(WriterException.class, () -> converge(w, first(2)));
      assertTrue(e.getMessage().contains("SignatureDoesNotMatch"), e.getMessage());
    }
    assertEquals(1, volc.rejected.size(), volc.rejected.toString());
    assertTrue(volc.rejected.get(0).startsWith("SignatureDoesNotMatch: "));
    assertEquals(List.of(), volc.rules(OTHER));
  }
}

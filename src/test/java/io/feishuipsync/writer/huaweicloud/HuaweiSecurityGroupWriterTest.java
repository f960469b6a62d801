package io.feishuipsync.writer.huaweicloud;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cloud.huaweicloud.VpcApi;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.WriterFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Huawei Cloud writer through the real SDK, in its own class loader, against {@link FakeHuaweiVpc}, a stand-in
 * that checks every request's AK/SK signature. Each test that expects success also asserts that the stand-in
 * rejected no request.
 */
class HuaweiSecurityGroupWriterTest {

  static final String GROUP = "0552091e-b83a-49dd-88a7-4a5c86fd9ec3";
  static final String OTHER = "0552091e-b83a-49dd-88a7-4a5c86fd9ec4";

  final FakeHuaweiVpc vpc = open();
  final List<Duration> waits = new ArrayList<>();

  static FakeHuaweiVpc open() {
    try {
      return new FakeHuaweiVpc();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() {
    vpc.close();
  }

  static String yaml(String endpoint, String sk, String... more) {
    List<String> lines = new ArrayList<>(List.of("region: cn-north-4", "endpoint: " + endpoint,
        "project_id: " + FakeHuaweiVpc.PROJECT, "access_key: " + FakeHuaweiVpc.AK, "secret_key: " + sk,
        "group_ids: [" + GROUP + "]", "ports: [443]"));
    lines.addAll(List.of(more));
    return String.join("\n", lines);
  }

  /** From the config, as the daemon builds it. */
  Writer configured(String... more) throws Exception {
    return WriterFixtures.writer("huaweicloud-security-group", yaml(vpc.endpoint(), FakeHuaweiVpc.SK, more),
        new ProcessCommandRunner());
  }

  /** With a recording sleeper and quota {@code maxRules}. */
  Writer writer(List<String> groups, int maxRules, String sk) {
    return new HuaweiSecurityGroupWriter(new HuaweiSecurityGroupWriter.Target("cn-north-4", groups,
        List.of(new io.feishuipsync.writer.PortRange(443, 443)), "tcp", "feishu-ipsync", maxRules),
        () -> HuaweiWriterType.api(vpc.endpoint(), FakeHuaweiVpc.PROJECT, FakeHuaweiVpc.AK,
            io.feishuipsync.core.Secret.of(sk)), waits::add, TreeSet::new);
  }

  @Test
  void aFirstSyncKeepsForeignRulesAndAChangeCreatesBeforeItDeletes() throws Exception {
    vpc.addGroup(GROUP, 100);
    vpc.addRule(GROUP, "0.0.0.0/0", "22", "ssh, the operator's");
    vpc.addRule(GROUP, "198.51.100.1/32", "443", "partner, by hand");
    Writer w = configured();
    converge(w, first(4));
    assertEquals(5, vpc.rules(GROUP).size(), "3 of ours beside the 2 of the operator's: " + vpc.rules(GROUP));
    w.check();
    assertEquals(first(4), w.read().entries(), "the operator's rule of a listed address admits it");
    vpc.mutations.clear();
    SortedSet<IpRange> rotated = new TreeSet<>(first(6));
    rotated.removeAll(first(2));
    converge(w, rotated);
    assertEquals(List.of("create 198.51.100.4/32 443", "create 198.51.100.5/32 443", "delete 198.51.100.0/32 443"),
        vpc.mutations, "every creation before the first deletion; the operator's rule is theirs");
    assertTrue(vpc.rules(GROUP).stream().anyMatch(r -> r.description().equals("partner, by hand")),
        "the operator's rule, of an address no longer listed, is kept");
    w.check();
    assertEquals(rotated, w.read().entries(), "and not counted: it is not on the list");
    int before = vpc.mutations.size();
    converge(w, rotated);
    assertEquals(before, vpc.mutations.size(), "in sync");
    assertEquals(List.of(), vpc.rejected);
  }

  @Test
  void teardownDeletesOnlyTheMarkedRules() throws Exception {
    vpc.addGroup(GROUP, 100);
    vpc.addRule(GROUP, "0.0.0.0/0", "22", "ssh, the operator's");
    Writer w = configured();
    converge(w, first(3));
    w.teardown();
    assertEquals(List.of("ssh, the operator's"), vpc.rules(GROUP).stream().map(FakeHuaweiVpc.Rule::description)
        .toList());
    assertEquals(List.of(), vpc.rejected);
  }

  @Test
  void driftIsFoundAndRepaired() throws Exception {
    vpc.addGroup(GROUP, 100);
    Writer w = configured();
    converge(w, first(3));
    String id = vpc.rules(GROUP).get(1).id();
    vpc.groups.get(GROUP).removeIf(r -> r.id().equals(id));
    vpc.addRule(GROUP, "192.0.2.99/32", "443", "feishu-ipsync");
    w.check();
    assertFalse(w.read().inSync(first(3)));
    converge(w, first(3));
    w.check();
    assertTrue(w.read().inSync(first(3)));
    assertEquals(3, vpc.rules(GROUP).size());
    assertEquals(List.of(), vpc.rejected);
  }

  @Test
  void aQuotaTooSmallAtThePeakIsRefusedWithNothingChanged() throws Exception {
    vpc.addGroup(GROUP, 100);
    vpc.addRule(GROUP, "0.0.0.0/0", "22", "ssh");
    converge(writer(List.of(GROUP), 7, FakeHuaweiVpc.SK), first(5));
    vpc.mutations.clear();
    SortedSet<IpRange> rotated = new TreeSet<>(first(8));
    rotated.removeAll(first(3));
    WriterException e = assertThrows(WriterException.class,
        () -> converge(writer(List.of(GROUP), 7, FakeHuaweiVpc.SK), rotated));
    assertTrue(e.getMessage().contains("would need 9 rules during the update (8 of this writer, 1 others) but"
        + " max_rules is 7; nothing changed"), e.getMessage());
    assertEquals(List.of(), vpc.mutations);
  }

  @Test
  void aRefusalHalfWayIsRolledBack() throws Exception {
    vpc.addGroup(GROUP, 30);
    vpc.addRule(GROUP, "0.0.0.0/0", "22", "ssh");
    WriterException e = assertThrows(WriterException.class,
        () -> converge(writer(List.of(GROUP), 1000, FakeHuaweiVpc.SK), first(45)));
    assertTrue(e.getMessage().contains("Quota exceeded"), e.getMessage());
    assertTrue(e.getMessage().contains("the 20 rules this run had added to " + GROUP + " were revoked again"),
        e.getMessage());
    assertEquals(1, vpc.rules(GROUP).size(), "the group holds what it held before");
  }

  @Test
  void throttlingIsWaitedOut() throws Exception {
    vpc.addGroup(GROUP, 100);
    vpc.failNext("Create", 429, 429);
    vpc.failNext("List", 429);
    converge(writer(List.of(GROUP), 100, FakeHuaweiVpc.SK), first(3));
    assertEquals(3, vpc.rules(GROUP).size());
    assertEquals(3, waits.size(), waits.toString());
    assertEquals(List.of(), vpc.rejected);
  }

  @Test
  void aWrongSecretIsOneClearLineWithoutTheSecret() {
    vpc.addGroup(GROUP, 100);
    String wrong = "wrong-huawei-sk-0123456789abcdefXYZ";
    WriterException e = assertThrows(WriterException.class,
        () -> writer(List.of(GROUP), 100, wrong).check());
    assertTrue(e.getMessage().contains("ListSecurityGroupRules was not accepted (APIGW.0301): check access_key and"
        + " secret_key"), e.getMessage());
    assertFalse(e.getMessage().contains(wrong) || e.getMessage().contains(FakeHuaweiVpc.SK));
    assertFalse(e.getMessage().contains("\n"));
    assertEquals(1, vpc.rejected.size());
  }

  @Test
  void aMissingPermissionNamesTheIamAction() throws Exception {
    vpc.addGroup(GROUP, 100);
    vpc.deny("Create");
    WriterException e = assertThrows(WriterException.class, () -> converge(configured(), first(2)));
    assertTrue(e.getMessage().contains("the credentials need the IAM permission vpc:securityGroupRules:create"),
        e.getMessage());
    assertEquals(List.of(), vpc.mutations);
  }

  @Test
  void ipv6RulesAndSeveralGroups() throws Exception {
    vpc.addGroup(GROUP, 100);
    vpc.addGroup(OTHER, 100);
    SortedSet<IpRange> mixed = new TreeSet<>(first(2));
    mixed.addAll(ips("2001:db8::/64"));
    converge(writer(List.of(GROUP, OTHER), 100, FakeHuaweiVpc.SK), mixed);
    for (String g : List.of(GROUP, OTHER)) {
      assertEquals(3, vpc.rules(g).size());
      assertTrue(vpc.rules(g).stream().anyMatch(r -> r.remote().equals("2001:db8::/64")
          && r.ethertype().equals("IPv6")));
    }
    assertEquals(List.of(), vpc.rejected);
  }

  @Test
  void aListOfThreeHundredInBatchesOfTwenty() throws Exception {
    vpc.addGroup(GROUP, 1000);
    Writer w = configured();
    converge(w, first(300));
    assertEquals(300, vpc.rules(GROUP).size());
    assertEquals(15, vpc.calls.stream().filter(c -> c.equals("Create")).count());
    w.check();
    assertTrue(w.read().inSync(first(300)));
    assertEquals(List.of(), vpc.rejected);
  }

  @Test
  void aSignatureTheRelayChangedIsRefused() throws Exception {
    vpc.addGroup(GROUP, 100);
    vpc.addGroup(OTHER, 100);
    try (java.net.ServerSocket tampering = io.feishuipsync.writer.Relay.of(vpc.port(), GROUP, OTHER)) {
      Writer w = WriterFixtures.writer("huaweicloud-security-group",
          yaml("http://127.0.0.1:" + tampering.getLocalPort(), FakeHuaweiVpc.SK), new ProcessCommandRunner());
      WriterException e = assertThrows(WriterException.class, () -> converge(w, first(2)));
      assertTrue(e.getMessage().contains("APIGW.0301"), e.getMessage());
    }
    assertEquals(List.of("APIGW.0301: Incorrect IAM authentication information: verify aksk signature fail"),
        vpc.rejected);
    assertEquals(List.of(), vpc.rules(OTHER));
  }

  @Test
  void theSdkRunsOnItsOwnHttpStackBesideTheApplicationsOne() throws Exception {
    VpcApi api = HuaweiWriterType.api(vpc.endpoint(), FakeHuaweiVpc.PROJECT, FakeHuaweiVpc.AK,
        io.feishuipsync.core.Secret.of(FakeHuaweiVpc.SK));
    ClassLoader bundle = api.getClass().getClassLoader();
    assertNotEquals(getClass().getClassLoader(), bundle);
    Class<?> ok4 = Class.forName("okhttp3.OkHttp", true, bundle);
    assertEquals("4.12.0", ok4.getField("VERSION").get(null), "the SDK's OkHttp 4");
    Class<?> appClient = Class.forName("okhttp3.OkHttpClient", false, getClass().getClassLoader());
    Class<?> bundleClient = Class.forName("okhttp3.OkHttpClient", false, bundle);
    assertNotEquals(appClient, bundleClient, "two OkHttps, one each");
    assertEquals(getClass().getClassLoader().loadClass(VpcApi.class.getName()), VpcApi.class,
        "the seam is the application's own type");
    assertEquals(bundle, HuaweiWriterType.api(vpc.endpoint(), FakeHuaweiVpc.PROJECT, FakeHuaweiVpc.AK,
        io.feishuipsync.core.Secret.of(FakeHuaweiVpc.SK)).getClass().getClassLoader(),
        "one loader for every writer of the process");
  }
}

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
import io.feishuipsync.writer.WriterFixtures;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Volcano Engine CLB ACL writer against {@link FakeVolc}: never an empty whitelist, foreign entries kept. */
class VolcClbAclWriterTest {

  static final String ACL = "acl-3cj44nv0jhhxc6c6rrtefake";
  static final String OFFICE = "203.0.113.7/32";

  final FakeVolc volc = VolcSecurityGroupWriterTest.open();
  final List<Duration> waits = new ArrayList<>();

  @AfterEach
  void close() {
    assertFalse(volc.openedToAll, "a whitelist ACL was left empty: " + volc.mutations);
    volc.close();
  }

  Writer configured(String... more) throws Exception {
    List<String> lines = new ArrayList<>(List.of("region: " + FakeVolc.REGION, "endpoint: " + volc.endpoint(),
        "access_key_id: " + FakeVolc.AK, "secret_access_key: \"" + FakeVolc.SK + "\"", "acl_id: " + ACL));
    lines.addAll(List.of(more));
    return WriterFixtures.writer("volcengine-clb-acl", String.join("\n", lines), new ProcessCommandRunner());
  }

  Writer writer(int maxEntries, String secret) {
    Lazy<VolcApi, RuntimeException> api = new Lazy<>(() -> new VolcApi(URI.create(volc.endpoint()), FakeVolc.REGION,
        "clb", "2020-04-01", FakeVolc.AK, Secret.of(secret), Clock.systemUTC()));
    return new VolcClbAclWriter(FakeVolc.REGION, ACL, "feishu-ipsync", maxEntries, api, waits::add);
  }

  @Test
  void aFirstSyncKeepsForeignEntriesAndAChangeAddsBeforeItRemoves() throws Exception {
    volc.addAcl(ACL, 300);
    volc.acls.get(ACL).entries.put(OFFICE, "office");
    volc.acls.get(ACL).listeners.add("lsn-fake0001:443:white");
    Writer w = configured();
    SortedSet<IpRange> list = new TreeSet<>(first(4));
    list.addAll(ips("2001:db8::/64"));
    converge(w, list);
    assertEquals(6, volc.entries(ACL).size(), "both families beside the office: " + volc.entries(ACL));
    volc.mutations.clear();
    SortedSet<IpRange> rotated = new TreeSet<>(first(6));
    rotated.removeAll(first(2));
    converge(w, rotated);
    assertEquals(List.of("add 198.51.100.4/32", "add 198.51.100.5/32", "remove 198.51.100.0/32",
        "remove 198.51.100.1/32", "remove 2001:db8::/64"), volc.mutations);
    assertEquals("office", volc.entries(ACL).get(OFFICE));
    int before = volc.mutations.size();
    converge(w, rotated);
    assertEquals(before, volc.mutations.size(), "in sync");
    assertEquals(List.of(), volc.rejected);
  }

  @Test
  void driftIsFoundAndRepaired() throws Exception {
    volc.addAcl(ACL, 300);
    Writer w = configured();
    converge(w, first(3));
    volc.acls.get(ACL).entries.remove("198.51.100.1/32");
    volc.acls.get(ACL).entries.put("192.0.2.99/32", "feishu-ipsync");
    w.check();
    assertFalse(w.read().inSync(w.scope(first(3))), "the change by hand is seen");
    converge(w, first(3));
    assertEquals(Map.of("198.51.100.0/32", "feishu-ipsync", "198.51.100.1/32", "feishu-ipsync",
        "198.51.100.2/32", "feishu-ipsync"), volc.entries(ACL));
    assertEquals(List.of(), volc.rejected);
  }

  @Test
  void aQuotaTooSmallAtThePeakAndARefusalHalfWay() throws Exception {
    volc.addAcl(ACL, 300);
    volc.acls.get(ACL).entries.put(OFFICE, "office");
    converge(writer(8, FakeVolc.SK), first(5));
    volc.mutations.clear();
    SortedSet<IpRange> rotated = new TreeSet<>(first(8));
    rotated.removeAll(first(3));
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(8, FakeVolc.SK), rotated));
    assertTrue(e.getMessage().contains("more than its quota of 8 (max_entries); nothing changed"), e.getMessage());
    assertEquals(List.of(), volc.mutations);

    volc.acls.get(ACL).quota = 60;
    Map<String, String> held = volc.entries(ACL);
    WriterException half = assertThrows(WriterException.class, () -> converge(writer(300, FakeVolc.SK), first(120)));
    assertTrue(half.getMessage().contains("QuotaExceeded.AclEntry"), half.getMessage());
    assertTrue(half.getMessage().contains("entries this run had added were removed again"), half.getMessage());
    assertEquals(held, volc.entries(ACL));
  }

  @Test
  void throttlingAWrongSecretAndAMissingPermission() throws Exception {
    volc.addAcl(ACL, 300);
    volc.failNext("AddAclEntries", "FlowLimitExceeded");
    converge(writer(300, FakeVolc.SK), first(2));
    assertEquals(1, waits.size());
    WriterException e = assertThrows(WriterException.class, () -> writer(300, "wrong-0123456789").check());
    assertTrue(e.getMessage().contains("not accepted (SignatureDoesNotMatch)"), e.getMessage());
    assertFalse(e.getMessage().contains("wrong-0123456789"));
    volc.deny("RemoveAclEntries");
    WriterException denied = assertThrows(WriterException.class, () -> converge(configured(), first(1)));
    assertTrue(denied.getMessage().contains("the credentials need the IAM action clb:RemoveAclEntries"),
        denied.getMessage());
  }

  @Test
  void threeHundredEntriesInSixCallsAndTeardownNeverEmptiesAUsedWhitelist() throws Exception {
    volc.addAcl(ACL, 300);
    volc.acls.get(ACL).listeners.add("lsn-fake0001:443:white");
    Writer w = configured();
    converge(w, first(300));
    assertEquals(300, volc.entries(ACL).size());
    assertEquals(6, volc.calls.stream().filter(c -> c.equals("AddAclEntries")).count());
    WriterException e = assertThrows(WriterException.class, w::teardown);
    assertTrue(e.getMessage().contains("is used by lsn-fake0001:443"), e.getMessage());
    assertEquals(300, volc.entries(ACL).size());
    WriterException empty = assertThrows(WriterException.class, () -> converge(w, new TreeSet<>()));
    assertTrue(empty.getMessage().contains("would hold no entry"), empty.getMessage());
    assertEquals(List.of(), volc.rejected);
  }
}

package io.feishuipsync.writer.aliyun;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.WriterFixtures;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What both Alibaba Cloud ACL writers must do, through the real SDK of their product against its signature-checking
 * stand-in ({@link FakeAlb}, {@link FakeSlb}). After every test: no ACL a listener uses as its whitelist was ever
 * left empty, and, where the test expects success, the stand-in rejected no request.
 */
abstract class AclWriterContract {

  static final String ACL = "acl-bp1fakeacl000001";
  static final String OTHER_ACL = "acl-bp1fakeacl000002";
  static final String OFFICE = "203.0.113.7/32";

  final AclStandIn fake = open();
  final List<Duration> waits = new ArrayList<>();

  /** A fresh stand-in of the product. */
  abstract AclStandIn open();

  /** The writer type, e.g. {@code aliyun-alb-acl}. */
  abstract String type();

  /** The product's word for an address version: {@code v4}, {@code v6} or {@code dual} (null: not offered). */
  abstract String version(String family);

  /** The writer on the stand-in's endpoint, with AccessKey secret {@code secret} and quota {@code maxEntries}. */
  abstract Writer writer(String secret, int maxEntries);

  /** Actions: the one that adds entries, the one that reads the entries. */
  abstract String addAction();

  abstract String readAction();

  /** The product's entries per call. */
  abstract int perCall();

  /** The RAM action prefix, e.g. {@code alb}. */
  abstract String ram();

  Writer writer() {
    return writer(AcsStandIn.ACCESS_KEY_SECRET, 500);
  }

  @AfterEach
  void close() {
    assertFalse(fake.openedToAll, "a whitelist ACL was left empty: " + fake.mutations);
    fake.close();
  }

  private TreeMap<String, String> held() {
    return new TreeMap<>(fake.entries(ACL));
  }

  private static TreeSet<String> texts(SortedSet<IpRange> list) {
    TreeSet<String> out = new TreeSet<>();
    list.forEach(r -> out.add(r.toString()));
    return out;
  }

  @Test
  void aFirstSyncKeepsForeignEntriesAndAChangeAddsBeforeItRemoves() throws Exception {
    fake.addAcl(ACL, version("v4"), 500);
    fake.put(ACL, OFFICE, "office");
    fake.whitelist(ACL, "lb-bp1fake0001:443");
    Writer w = WriterFixtures.writer(type(), String.join("\n", "region: " + FakeEcs.REGION,
        "endpoint: " + fake.endpoint(), "access_key_id: " + AcsStandIn.ACCESS_KEY_ID,
        "access_key_secret: " + AcsStandIn.ACCESS_KEY_SECRET, "acl_id: " + ACL), new ProcessCommandRunner());
    converge(w, first(5));
    TreeSet<String> want = texts(first(5));
    want.add(OFFICE);
    assertEquals(want, held().navigableKeySet());
    assertEquals("feishu-ipsync", held().get("198.51.100.0/32"));
    assertEquals("office", held().get(OFFICE), "someone else's entry is left as it was");
    assertEquals(first(5), w.read().entries(), "only the marked entries are the writer's");

    fake.mutations.clear();
    SortedSet<IpRange> rotated = new TreeSet<>(first(8));
    rotated.removeAll(first(3));
    converge(w, rotated);
    assertEquals(List.of("add 198.51.100.5/32", "add 198.51.100.6/32", "add 198.51.100.7/32",
        "remove 198.51.100.0/32", "remove 198.51.100.1/32", "remove 198.51.100.2/32"), fake.mutations,
        "every addition is in force before the first removal");
    assertEquals("office", held().get(OFFICE));
    int before = fake.mutations.size();
    converge(w, rotated);
    assertEquals(before, fake.mutations.size(), "in sync: nothing to change");
    assertEquals(List.of(), fake.rejected);
  }

  @Test
  void aListedAddressSomeoneElseHoldsIsLeftToThemAndNotSentAgain() throws Exception {
    fake.addAcl(ACL, version("v4"), 500);
    fake.put(ACL, "198.51.100.1/32", "partner");
    Writer w = writer();
    converge(w, first(3));
    assertEquals("partner", held().get("198.51.100.1/32"));
    assertEquals(3, held().size());
    int before = fake.mutations.size();
    converge(w, first(3));
    assertEquals(before, fake.mutations.size(), "in sync on the second run: " + fake.mutations);
    converge(w, first(1));
    assertEquals("partner", held().get("198.51.100.1/32"), "not the writer's to remove when it is unlisted");
    assertEquals(List.of(), fake.rejected);
  }

  @Test
  void driftIsFoundAndRepaired() throws Exception {
    fake.addAcl(ACL, version("v4"), 500);
    Writer w = writer();
    converge(w, first(4));
    fake.drop(ACL, "198.51.100.2/32");
    fake.put(ACL, "192.0.2.99/32", "feishu-ipsync");
    w.check();
    assertFalse(w.read().inSync(w.scope(first(4))), "the change by hand is seen");
    converge(w, first(4));
    assertEquals(texts(first(4)), held().navigableKeySet());
    assertEquals(List.of(), fake.rejected);
  }

  @Test
  void aQuotaTooSmallAtThePeakIsRefusedWithNothingChanged() throws Exception {
    fake.addAcl(ACL, version("v4"), 500);
    fake.put(ACL, OFFICE, "office");
    converge(writer(AcsStandIn.ACCESS_KEY_SECRET, 8), first(5));
    Map<String, String> before = held();
    fake.mutations.clear();
    SortedSet<IpRange> rotated = new TreeSet<>(first(8));
    rotated.removeAll(first(3));
    WriterException e = assertThrows(WriterException.class,
        () -> converge(writer(AcsStandIn.ACCESS_KEY_SECRET, 8), rotated));
    assertTrue(e.getMessage().contains("would hold 9 entries while the change is made (6 now, 3 to add before 3 are"
        + " removed), more than its quota of 8 (max_entries); nothing changed"), e.getMessage());
    assertEquals(List.of(), fake.mutations);
    assertEquals(before, held());
  }

  @Test
  void aRefusalHalfWayIsRolledBack() throws Exception {
    fake.addAcl(ACL, version("v4"), perCall() + 10);
    fake.put(ACL, OFFICE, "office");
    fake.whitelist(ACL, "lb-bp1fake0001:443");
    Map<String, String> before = held();
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(), first(perCall() * 2)));
    assertTrue(e.getMessage().contains("QuotaExceeded"), e.getMessage());
    assertTrue(e.getMessage().contains("the " + perCall() + " entries this run had added were removed again"),
        e.getMessage());
    assertEquals(before, held(), "the ACL holds what it held before");
  }

  @Test
  void throttlingIsWaitedOut() throws Exception {
    fake.addAcl(ACL, version("v4"), 500);
    fake.failNext(addAction(), "Throttling.User", "Throttling");
    fake.failNext(readAction(), "Throttling.Api");
    converge(writer(), first(3));
    assertEquals(3, held().size());
    assertEquals(3, waits.size(), waits.toString());
    assertEquals(List.of(), fake.rejected);
  }

  @Test
  void aWrongSecretIsOneClearLineWithoutTheSecret() {
    fake.addAcl(ACL, version("v4"), 500);
    String wrong = "wrong-secret-0123456789abcdefXYZ";
    WriterException e = assertThrows(WriterException.class, () -> writer(wrong, 500).check());
    assertTrue(e.getMessage().contains("SignatureDoesNotMatch"), e.getMessage());
    assertTrue(e.getMessage().contains("check access_key_id and its secret"), e.getMessage());
    assertFalse(e.getMessage().contains(wrong) || e.getMessage().contains(AcsStandIn.ACCESS_KEY_SECRET));
    assertFalse(e.getMessage().contains("\n"));
    assertEquals(1, fake.rejected.size(), fake.rejected.toString());
    assertEquals(List.of(), fake.mutations);
  }

  @Test
  void aMissingPermissionNamesTheRamAction() throws Exception {
    fake.addAcl(ACL, version("v4"), 500);
    fake.deny(addAction());
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(), first(2)));
    assertTrue(e.getMessage().contains("the credentials need the RAM action " + ram() + ":" + addAction()),
        e.getMessage());
    assertEquals(List.of(), fake.mutations);
  }

  @Test
  void aSignatureTheRelayChangedIsRefused() throws Exception {
    fake.addAcl(ACL, version("v4"), 500);
    fake.addAcl(OTHER_ACL, version("v4"), 500);
    try (ServerSocket tampering = io.feishuipsync.writer.Relay.of(fake.port(), ACL, OTHER_ACL)) {
      Writer w = writerOn("http://127.0.0.1:" + tampering.getLocalPort());
      WriterException e = assertThrows(WriterException.class, () -> converge(w, first(2)));
      assertTrue(e.getMessage().contains("SignatureDoesNotMatch"), e.getMessage());
    }
    assertEquals(List.of("SignatureDoesNotMatch: Specified signature does not match our calculation."),
        fake.rejected);
    assertEquals(Map.of(), fake.entries(OTHER_ACL));
  }

  /** The writer on another endpoint (a relay). */
  abstract Writer writerOn(String endpoint);

  @Test
  void aListOfThreeHundredInBatches() throws Exception {
    fake.addAcl(ACL, version("v4"), 300);
    Writer w = writer(AcsStandIn.ACCESS_KEY_SECRET, 300);
    converge(w, first(300));
    assertEquals(300, held().size());
    assertEquals(300 / perCall() + (300 % perCall() == 0 ? 0 : 1),
        fake.calls.stream().filter(c -> c.equals(addAction())).count(), fake.calls.toString());
    w.check();
    assertTrue(w.read().inSync(w.scope(first(300))));
    assertEquals(List.of(), fake.rejected);
  }

  @Test
  void anAclOfOneFamilyTakesOnlyThatFamily() throws Exception {
    fake.addAcl(ACL, version("v4"), 500);
    SortedSet<IpRange> mixed = new TreeSet<>(first(2));
    mixed.addAll(ips("2001:db8::/64"));
    Writer w = writer();
    converge(w, mixed);
    assertEquals(texts(first(2)), held().navigableKeySet());
    assertEquals(first(2), w.scope(mixed));
  }

  @Test
  void aResultWithNoEntryIsRefusedBecauseAnEmptyWhitelistAdmitsEveryone() throws Exception {
    fake.addAcl(ACL, version("v4"), 500);
    fake.whitelist(ACL, "lb-bp1fake0001:443");
    Writer w = writer();
    converge(w, first(2));
    fake.mutations.clear();
    WriterException e = assertThrows(WriterException.class, () -> converge(w, ips("2001:db8::/64")));
    assertTrue(e.getMessage().contains("would hold no entry"), e.getMessage());
    assertEquals(List.of(), fake.mutations);
    assertEquals(2, held().size());
  }

  @Test
  void teardownRemovesOnlyItsOwnAndNeverEmptiesAUsedWhitelist() throws Exception {
    fake.addAcl(ACL, version("v4"), 500);
    fake.whitelist(ACL, "lb-bp1fake0001:443");
    Writer w = writer();
    converge(w, first(3));
    WriterException e = assertThrows(WriterException.class, w::teardown);
    assertTrue(e.getMessage().contains("is used by lb-bp1fake0001:443"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing changed"), e.getMessage());
    assertEquals(3, held().size());
    fake.put(ACL, OFFICE, "office");
    w.teardown();
    assertEquals(Map.of(OFFICE, "office"), held(), "only the writer's entries are gone");
    assertEquals(List.of(), fake.rejected);
  }
}

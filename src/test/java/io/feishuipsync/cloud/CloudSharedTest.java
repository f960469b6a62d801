package io.feishuipsync.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.PortRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The pieces the cloud writers share, on their own: the throttled-call loop, batches with their one-by-one
 * fallback, the addresses groups agree on, the settings checks. The writers' own tests drive them through the SDKs.
 */
class CloudSharedTest {

  /** An answer of a made-up service: its code is its message. */
  static final class Answer extends Exception {
    Answer(String code) {
      super(code);
    }
  }

  final List<Duration> waits = new ArrayList<>();
  final CloudCalls<Answer> calls = new CloudCalls<>("w", waits::add,
      new CloudCalls.Service<>("SVC", Answer.class, Answer::getMessage, "Slow"::equals),
      (operation, e, code) -> operation + " said " + code);

  @Test
  void throttlingIsWaitedOutWithBackoffAndAnyOtherAnswerIsOneLineAtOnce() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    assertEquals("ok", calls.call("Op", () -> {
      if (tries.incrementAndGet() < 3) {
        throw new Answer("Slow");
      }
      return "ok";
    }));
    assertEquals(List.of(Backoff.after(1), Backoff.after(2)), waits);

    tries.set(0);
    WriterException e = assertThrows(WriterException.class, () -> calls.call("Op", () -> {
      tries.incrementAndGet();
      throw new Answer("Denied");
    }));
    assertEquals("w: Op said Denied", e.getMessage());
    assertEquals(1, tries.get());
  }

  @Test
  void throttlingThatNeverEndsStopsAfterTheLastAttempt() {
    AtomicInteger tries = new AtomicInteger();
    WriterException e = assertThrows(WriterException.class, () -> calls.call("Op", () -> {
      tries.incrementAndGet();
      throw new Answer("Slow");
    }));
    assertEquals(Backoff.MAX_ATTEMPTS, tries.get());
    assertEquals(Backoff.MAX_ATTEMPTS - 1, waits.size());
    assertEquals("w: Op said Slow", e.getMessage());
  }

  /**
   * A WriterException of the call's own passes unchanged; an unchecked one (an SDK choking on a malformed answer:
   * Tencent's throws a NullPointerException for an empty body) is an unreadable answer, in one line.
   */
  @Test
  void aWriterErrorOfTheCallPassesAndAnUncheckedFailureIsAnUnreadableAnswer() {
    WriterException own = new WriterException("w", "no body");
    assertSame(own, assertThrows(WriterException.class, () -> calls.call("Op", () -> {
      throw own;
    })));
    NullPointerException choked = new NullPointerException("Cannot read field \"response\" because \"errResp\" is null");
    WriterException e = assertThrows(WriterException.class, () -> calls.call("Op", () -> {
      throw choked;
    }));
    assertSame(choked, e.getCause());
    assertEquals("Op failed: the answer could not be read (NullPointerException: Cannot read field \"response\""
        + " because \"errResp\" is null)", e.detail());
  }

  @Test
  void aRefusedBatchIsMadeAgainOneByOneAndOnlyAnAcceptedRefusalCountsAsDone() throws Exception {
    List<List<Integer>> made = new ArrayList<>();
    Batches.each(List.of(1, 2, 3, 4, 5), 2, batch -> {
      made.add(batch);
      if (batch.contains(3)) {
        throw new WriterException("w", "gone");
      }
    }, e -> e.getMessage().endsWith("gone"));
    assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(3), List.of(4), List.of(5)), made);

    WriterException e = assertThrows(WriterException.class, () -> Batches.each(List.of(1, 2), 2, batch -> {
      throw new WriterException("w", "refused");
    }, x -> x.getMessage().endsWith("gone")));
    assertEquals("w: refused", e.getMessage());
  }

  @Test
  void groupsAgreeOnTheAddressesEachOfThemAdmitsOnEveryPort() {
    IpRange a = IpRange.parse("192.0.2.1/32");
    IpRange b = IpRange.parse("198.51.100.0/24");
    List<PortRange> ports = List.of(new PortRange(443, 443), new PortRange(8000, 8100));
    Set<RuleKey> both = RuleKey.keys(Set.of(a, b), "tcp", ports);
    Set<RuleKey> aAndHalfOfB = new HashSet<>(RuleKey.keys(Set.of(a), "tcp", ports));
    aAndHalfOfB.add(new RuleKey(b, "tcp", 443, 443));
    assertEquals(4, both.size());
    assertEquals(new TreeSet<>(Set.of(a)), RuleGroups.agreed(List.of(both, aAndHalfOfB), RuleKey::cidr,
        c -> RuleKey.keys(c, "tcp", ports)));
  }

  @Test
  void groupIdsMaxRulesAndEndpointsAreCheckedNamingTheKey() {
    assertEquals(List.of("sg-12345678"), CloudSettings.groupIds(List.of("sg-12345678"), "sg-[0-9]{8}", "sg-1"));
    ConfigException bad = assertThrows(ConfigException.class, () -> CloudSettings.groupIds(
        List.of("sg-12345678", "sg-\u001b[2J"), "sg-[0-9]{8}", "sg-1"));
    assertEquals("group_ids[1]", bad.key());
    assertTrue(bad.getMessage().contains("'sg-?[2J' is not a security group id"), bad.getMessage());
    assertEquals("group_ids", assertThrows(ConfigException.class, () -> CloudSettings.groupIds(
        List.of("sg-12345678", "sg-12345678"), "sg-[0-9]{8}", "sg-1")).key());
    assertEquals(60, CloudSettings.maxRules(null, 60, 1000));
    assertEquals("max_rules", assertThrows(ConfigException.class, () -> CloudSettings.maxRules(1001, 60, 1000))
        .key());
    assertEquals("https://vpc.example:8443", String.valueOf(CloudSettings.httpUrl("https://vpc.example:8443", true)));
    assertNull(CloudSettings.httpUrl("https://vpc.example/path", true));
    assertEquals("/path", CloudSettings.httpUrl("https://vpc.example/path", false).getPath());
    assertNull(CloudSettings.httpUrl("ftp://vpc.example", false));
    assertNull(CloudSettings.httpUrl("vpc.example", false));
  }
}

package io.feishuipsync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EntryPolicyTest {

  private static final EntryPolicy STRICT = EntryPolicy.FEISHU_DEFAULTS;
  private static final EntryPolicy LAB = new EntryPolicy(16, 32, true, List.of(IpRange.parse("192.0.2.0/24"),
      IpRange.parse("198.51.100.0/24"), IpRange.parse("203.0.113.0/24"), IpRange.parse("2001:db8::/32")),
      "validation");

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/8", "10.1.2.3", "127.0.0.1", "169.254.169.254", "224.0.0.0/4", "239.1.2.3",
      "100.64.0.1", "172.16.5.0/24", "192.168.1.1", "0.0.0.0/8", "0.0.0.0", "255.255.255.255", "240.0.0.1",
      "198.18.0.0/15", "192.0.0.9", "192.88.99.1", "192.0.2.1", "198.51.100.0/24", "203.0.113.9",
      "::1", "::", "fe80::/10", "fe80::1", "::ffff:0:0/96", "::ffff:1.2.3.4", "64:ff9b::/96", "64:ff9b::808:808",
      "fc00::/7", "fd12:3456::1", "ff02::1", "2001:db8::1", "2001::1", "2002:c000:204::1", "100::1", "3fff::1",
      "5f00::1", "4000::1", "::8.8.8.8", "192.0.0.0/16"})
  void specialPurposeEntriesFromFeishuAreRefused(String entry) {
    assertTrue(STRICT.refusal(IpRange.parse(entry)).isPresent(), entry + " was accepted");
    // However narrow the minimum prefix, the special-purpose check alone refuses it.
    EntryPolicy anyPrefix = new EntryPolicy(1, 1, true, List.of(), "validation");
    assertTrue(anyPrefix.refusal(IpRange.parse(entry)).orElseThrow().contains("validation.allow_special"), entry);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1/32", "101.0.0.0/16", "223.255.255.0/24", "2400:3200::1",
      "2a00:1450:4001::/48", "240e::/32"})
  void publicEntriesAreAccepted(String entry) {
    assertEquals(Optional.empty(), STRICT.refusal(IpRange.parse(entry)));
  }

  @Test
  void messageNamesTheRangeAndItsPurpose() {
    assertEquals("lies in 169.254.0.0/16 (link local, RFC 3927), and the source's senders are public hosts"
        + " (validation.allow_special exempts a range for labs and tests)",
        STRICT.refusal(IpRange.parse("169.254.169.254")).orElseThrow());
    assertTrue(STRICT.refusal(IpRange.parse("192.0.0.0/16")).orElseThrow().startsWith("contains 192.0.0.0/24"));
  }

  @Test
  void prefixesBroaderThanTheMinimumAreRefusedEvenWhenExempt() {
    assertEquals("is broader than validation.min_prefix_v4 /16", STRICT.refusal(IpRange.parse("0.0.0.0/1"))
        .orElseThrow());
    assertEquals("is broader than validation.min_prefix_v4 /16", STRICT.refusal(IpRange.parse("128.0.0.0/1"))
        .orElseThrow());
    assertEquals("is broader than validation.min_prefix_v6 /32", LAB.refusal(IpRange.parse("2000::/3"))
        .orElseThrow());
    assertEquals(Optional.empty(), STRICT.refusal(IpRange.parse("101.0.0.0/16")));
    EntryPolicy narrow = new EntryPolicy(24, 48, true, LAB.allowSpecial(), "validation");
    assertTrue(narrow.refusal(IpRange.parse("192.0.2.0/25")).isEmpty());
    assertTrue(narrow.refusal(IpRange.parse("192.0.2.0/23")).isPresent());
  }

  @Test
  void allowSpecialExemptsOnlyEntriesInsideTheListedRanges() {
    assertEquals(Optional.empty(), LAB.refusal(IpRange.parse("192.0.2.7")));
    assertEquals(Optional.empty(), LAB.refusal(IpRange.parse("2001:db8:1::/48")));
    assertTrue(LAB.refusal(IpRange.parse("10.0.0.1")).isPresent());
    // Wider than the exempt range: it also holds 192.0.0.0/24 and more.
    assertTrue(LAB.refusal(IpRange.parse("192.0.0.0/22")).isPresent());
  }

  @Test
  void anOperatorsPolicyAcceptsPrivateNetworks() {
    EntryPolicy operator = new EntryPolicy(8, 16, false, List.of(), "also_allow");
    assertEquals(Optional.empty(), operator.refusal(IpRange.parse("10.0.0.0/8")));
    assertTrue(operator.refusal(IpRange.parse("0.0.0.0/1")).isPresent());
  }

  @Test
  void oneRefusedEntryFailsTheWholeAnswer() throws SourceException {
    SourceList good = new SourceList(Addresses.ips("8.8.8.8", "192.0.2.1"), "https://feishu.test", Instant.EPOCH, 2);
    assertSame(good, LAB.enforcedOn(() -> good).fetch());
    SourceList bad = new SourceList(Addresses.ips("8.8.8.8", "10.1.0.0/16"), "https://feishu.test", Instant.EPOCH, 2);
    SourceException e = assertThrows(SourceException.class, () -> LAB.enforcedOn(() -> bad).fetch());
    assertEquals("invalid answer from https://feishu.test, nothing applied: entry 10.1.0.0/16 lies in 10.0.0.0/8"
        + " (private use, RFC 1918), and the source's senders are public hosts (validation.allow_special exempts"
        + " a range for labs and tests)", e.getMessage());
  }
}

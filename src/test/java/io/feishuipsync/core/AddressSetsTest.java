package io.feishuipsync.core;

import static io.feishuipsync.core.PlanTest.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AddressSetsTest {

  @Test
  void coveredEntriesAreDropped() {
    assertEquals(ips("192.0.2.0/24", "198.51.100.0/25", "198.51.100.200", "2001:db8::/32"),
        AddressSets.withoutCovered(ips("192.0.2.0/24", "192.0.2.7", "192.0.2.128/25", "198.51.100.0/25",
            "198.51.100.5", "198.51.100.200", "2001:db8::/32", "2001:db8::1", "2001:db8:1::/48")));
  }

  @Test
  void adjacentPrefixesAreKept() {
    assertEquals(ips("192.0.2.0/25", "192.0.2.128/25"),
        AddressSets.withoutCovered(ips("192.0.2.0/25", "192.0.2.128/25")));
  }

  @Test
  void nestedCoversAreDroppedDownTheChain() {
    assertEquals(ips("10.0.0.0/8"), AddressSets.withoutCovered(ips("10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24",
        "10.1.2.3")));
  }

  @Test
  void rangeIsCoveredByTheFewestPrefixes() {
    assertEquals("[192.0.2.4/30, 192.0.2.8/31]", AddressSets.coverRange(IpRange.parse("192.0.2.4").addressBytes(),
        IpRange.parse("192.0.2.9").addressBytes()).toString());
    assertEquals("[192.0.2.0/24]", AddressSets.coverRange(IpRange.parse("192.0.2.0").addressBytes(),
        IpRange.parse("192.0.2.255").addressBytes()).toString());
    assertEquals("[198.51.100.7/32]", AddressSets.coverRange(IpRange.parse("198.51.100.7").addressBytes(),
        IpRange.parse("198.51.100.7").addressBytes()).toString());
    assertEquals("[2001:db8::/127, 2001:db8::2/128]", AddressSets.coverRange(
        IpRange.parse("2001:db8::").addressBytes(), IpRange.parse("2001:db8::2").addressBytes()).toString());
  }
}

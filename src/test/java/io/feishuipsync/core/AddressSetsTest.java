package io.feishuipsync.core;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Set;
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

  @Test
  void addedAddressesAreCountedNotEntries() {
    assertEquals(BigInteger.valueOf(1L << 32), AddressSets.addedBlocks(Set.of(), ips("0.0.0.0/1", "128.0.0.0/1"),
        IpRange.Family.IPV4, 32));
    assertEquals(BigInteger.valueOf(256), AddressSets.addedBlocks(Set.of(), ips("192.0.2.0/24", "192.0.2.7"),
        IpRange.Family.IPV4, 32));
    assertEquals(BigInteger.ZERO, AddressSets.addedBlocks(ips("192.0.2.0/24"), ips("192.0.2.0/25", "192.0.2.9"),
        IpRange.Family.IPV4, 32));
    // A /24 around two addresses already open: only its 254 new ones count, and the /31's 2.
    assertEquals(BigInteger.valueOf(256), AddressSets.addedBlocks(ips("192.0.2.1", "192.0.2.200"),
        ips("192.0.2.0/24", "198.51.100.0/31"), IpRange.Family.IPV4, 32));
    assertEquals(BigInteger.ZERO, AddressSets.addedBlocks(Set.of(), ips("2001:db8::/32"), IpRange.Family.IPV4, 32));
  }

  @Test
  void addedIpv6IsCountedInSlash64Networks() {
    assertEquals(BigInteger.ONE.shiftLeft(32), AddressSets.addedBlocks(Set.of(), ips("2001:db8::/32"),
        IpRange.Family.IPV6, 64));
    // Two addresses in one /64 open one network; one more in a /64 already touched opens none.
    assertEquals(BigInteger.ONE, AddressSets.addedBlocks(Set.of(), ips("2001:db8::1", "2001:db8::9"),
        IpRange.Family.IPV6, 64));
    assertEquals(BigInteger.ONE, AddressSets.addedBlocks(ips("2001:db8::1"), ips("2001:db8::1", "2001:db8::5"),
        IpRange.Family.IPV6, 64));
    assertEquals(BigInteger.valueOf(2), AddressSets.addedBlocks(Set.of(),
        ips("2001:db8:0:1::ffff", "2001:db8:0:2::/127"), IpRange.Family.IPV6, 64));
    assertEquals(BigInteger.ZERO, AddressSets.addedBlocks(ips("2001:db8::/48"), ips("2001:db8::/56"),
        IpRange.Family.IPV6, 64));
    // Beyond a long: a /1 holds 2^63 networks.
    assertEquals(BigInteger.ONE.shiftLeft(63), AddressSets.addedBlocks(Set.of(), ips("8000::/1"),
        IpRange.Family.IPV6, 64));
  }
}

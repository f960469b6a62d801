package io.feishuipsync.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Address ranges that no public sender uses: the IANA IPv4 and IPv6 special-purpose address registries (RFC 6890
 * and its updates), multicast, and for IPv6 everything outside global unicast {@code 2000::/3}.
 */
public final class SpecialRanges {

  /** One registry entry: the range and what it is for. */
  public record Range(IpRange range, String purpose) {

    @Override
    public String toString() {
      return range + " (" + purpose + ")";
    }
  }

  /** More specific entries first, so that a message names the narrowest purpose. */
  private static final List<Range> REGISTRY = List.of(
      // IPv4 special-purpose registry.
      range("0.0.0.0/8", "\"this network\", RFC 791"),
      range("10.0.0.0/8", "private use, RFC 1918"),
      range("100.64.0.0/10", "shared address space (CGNAT), RFC 6598"),
      range("127.0.0.0/8", "loopback, RFC 1122"),
      range("169.254.0.0/16", "link local, RFC 3927"),
      range("172.16.0.0/12", "private use, RFC 1918"),
      range("192.0.0.0/24", "IETF protocol assignments, RFC 6890"),
      range("192.0.2.0/24", "documentation (TEST-NET-1), RFC 5737"),
      range("192.31.196.0/24", "AS112-v4, RFC 7535"),
      range("192.52.193.0/24", "AMT, RFC 7450"),
      range("192.88.99.0/24", "deprecated 6to4 relay anycast, RFC 7526"),
      range("192.168.0.0/16", "private use, RFC 1918"),
      range("192.175.48.0/24", "direct delegation AS112 service, RFC 7534"),
      range("198.18.0.0/15", "benchmarking, RFC 2544"),
      range("198.51.100.0/24", "documentation (TEST-NET-2), RFC 5737"),
      range("203.0.113.0/24", "documentation (TEST-NET-3), RFC 5737"),
      range("224.0.0.0/4", "multicast, RFC 5771"),
      range("255.255.255.255/32", "limited broadcast, RFC 919"),
      range("240.0.0.0/4", "reserved, RFC 1112"),
      // IPv6 special-purpose registry.
      range("::/128", "unspecified, RFC 4291"),
      range("::1/128", "loopback, RFC 4291"),
      range("::ffff:0:0/96", "IPv4-mapped, RFC 4291"),
      range("64:ff9b::/96", "IPv4/IPv6 translation, RFC 6052"),
      range("64:ff9b:1::/48", "local-use IPv4/IPv6 translation, RFC 8215"),
      range("100::/64", "discard-only, RFC 6666"),
      range("100:0:0:1::/64", "dummy IPv6 prefix, RFC 9780"),
      range("2001:2::/48", "benchmarking, RFC 5180"),
      range("2001:db8::/32", "documentation, RFC 3849"),
      range("2001::/23", "IETF protocol assignments (Teredo, ORCHID, AMT, AS112, ...), RFC 2928"),
      range("2002::/16", "6to4, RFC 3056"),
      range("2620:4f:8000::/48", "direct delegation AS112 service, RFC 7534"),
      range("3fff::/20", "documentation, RFC 9637"),
      range("5f00::/16", "segment routing (SRv6) SIDs, RFC 9602"),
      range("fc00::/7", "unique local, RFC 4193"),
      range("fe80::/10", "link-local unicast, RFC 4291"),
      range("ff00::/8", "multicast, RFC 4291"));

  private static final IpRange GLOBAL_UNICAST_V6 = IpRange.parse("2000::/3");

  /**
   * IPv6 ranges whose addresses carry an IPv4 address, and the bit at which it starts: a host or gateway that maps or
   * translates them lets the IPv4 space behind them in.
   */
  private static final List<Embedding> EMBEDDING = List.of(
      new Embedding(range("::ffff:0:0/96", "IPv4-mapped, RFC 4291"), 96),
      new Embedding(range("::/96", "IPv4-compatible, deprecated by RFC 4291"), 96),
      new Embedding(range("64:ff9b::/96", "IPv4/IPv6 translation, RFC 6052"), 96),
      new Embedding(range("64:ff9b:1::/48", "local-use IPv4/IPv6 translation, RFC 8215"), 48),
      new Embedding(range("2002::/16", "6to4, RFC 3056"), 16));

  private record Embedding(Range range, int ipv4At) {}

  /**
   * What IPv4 space {@code r} lets in through an IPv6 range that embeds IPv4 addresses: e.g. {@code ::ffff:0:0/96}
   * is the whole of IPv4 (a /0), {@code 64:ff9b::a00:0/104} a /8. Empty when {@code r} meets no such range.
   *
   * @return the IPv4 prefix length it amounts to, and the range it goes through
   */
  public static Optional<Map.Entry<Integer, Range>> embeddedIpv4(IpRange r) {
    if (r.family() != IpRange.Family.IPV6) {
      return Optional.empty();
    }
    for (Embedding e : EMBEDDING) {
      if (r.contains(e.range().range())) {
        return Optional.of(Map.entry(0, e.range()));
      }
      if (e.range().range().contains(r)) {
        return Optional.of(Map.entry(Math.max(0, Math.min(32, r.prefixLength() - e.ipv4At())), e.range()));
      }
    }
    return Optional.empty();
  }

  private SpecialRanges() {}

  /**
   * Why {@code r} is no public sender's address, e.g. {@code lies in 10.0.0.0/8 (private use, RFC 1918)}, or empty
   * when it overlaps no special-purpose range.
   */
  public static Optional<String> overlap(IpRange r) {
    for (Range s : REGISTRY) {
      if (s.range().contains(r)) {
        return Optional.of("lies in " + s);
      }
      if (r.contains(s.range())) {
        return Optional.of("contains " + s);
      }
    }
    if (r.family() == IpRange.Family.IPV6 && !GLOBAL_UNICAST_V6.contains(r)) {
      return Optional.of("lies outside " + GLOBAL_UNICAST_V6 + ", the only IPv6 space IANA allocates for global"
          + " unicast");
    }
    return Optional.empty();
  }

  /** Every registry entry, in the order they are checked. */
  public static List<Range> all() {
    return REGISTRY;
  }

  private static Range range(String cidr, String purpose) {
    return new Range(IpRange.parse(cidr), purpose);
  }
}

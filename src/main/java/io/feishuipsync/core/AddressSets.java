package io.feishuipsync.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Operations on sets of prefixes. */
public final class AddressSets {

  private AddressSets() {}

  /**
   * The same addresses without entries that another entry already covers ({@code 192.0.2.7/32} inside
   * {@code 192.0.2.0/24}). Firewalls with interval sets refuse overlapping elements, and nothing is lost.
   */
  public static SortedSet<IpRange> withoutCovered(SortedSet<IpRange> entries) {
    // In this order a covering prefix sorts before everything it covers, and covered entries follow it directly.
    List<IpRange> kept = new ArrayList<>();
    IpRange cover = null;
    for (IpRange r : entries) {
      if (cover != null && cover.contains(r)) {
        continue;
      }
      kept.add(r);
      cover = r;
    }
    return new TreeSet<>(kept);
  }

  /**
   * The fewest prefixes that cover exactly {@code first..last} (inclusive; both 4 or both 16 bytes), e.g. for an
   * address range read back from a firewall.
   */
  public static List<IpRange> coverRange(byte[] first, byte[] last) {
    if (first.length != last.length) {
      throw new IllegalArgumentException("range ends are of different families");
    }
    int bits = first.length * 8;
    BigInteger lo = new BigInteger(1, first);
    BigInteger hi = new BigInteger(1, last);
    if (lo.compareTo(hi) > 0) {
      throw new IllegalArgumentException("range runs backwards");
    }
    List<IpRange> out = new ArrayList<>();
    while (lo.compareTo(hi) <= 0) {
      int size = lo.signum() == 0 ? bits : lo.getLowestSetBit();
      // Shrink the block until it fits inside the rest of the range.
      while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(hi) > 0) {
        size--;
      }
      if (size == bits) {
        throw new IllegalArgumentException("range covers every address");
      }
      out.add(IpRange.of(toBytes(lo, first.length), bits - size));
      lo = lo.add(BigInteger.ONE.shiftLeft(size));
    }
    return out;
  }

  private static byte[] toBytes(BigInteger v, int length) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return out;
  }
}

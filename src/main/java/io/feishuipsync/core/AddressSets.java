package io.feishuipsync.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

  /**
   * How many blocks of {@code family} addresses {@code to} opens that {@code from} does not: the addresses in some
   * entry of {@code to} and in none of {@code from}, counted in aligned blocks of {@code blockPrefix} bits (32 counts
   * IPv4 addresses, 64 counts IPv6 /64 networks); a block counts once when any of its addresses is new.
   */
  public static BigInteger addedBlocks(Set<IpRange> from, Set<IpRange> to, IpRange.Family family, int blockPrefix) {
    int shift = family.bits() - blockPrefix;
    BigInteger count = BigInteger.ZERO;
    BigInteger lastBlock = null;
    for (BigInteger[] gap : subtract(intervals(to, family), intervals(from, family))) {
      BigInteger first = gap[0].shiftRight(shift);
      BigInteger last = gap[1].shiftRight(shift);
      count = count.add(last.subtract(first).add(BigInteger.ONE));
      if (first.equals(lastBlock)) {
        count = count.subtract(BigInteger.ONE);
      }
      lastBlock = last;
    }
    return count;
  }

  /** The entries of one family as sorted, merged, inclusive address intervals. */
  private static List<BigInteger[]> intervals(Set<IpRange> entries, IpRange.Family family) {
    List<BigInteger[]> raw = new ArrayList<>();
    for (IpRange r : entries) {
      if (r.family() == family) {
        BigInteger lo = new BigInteger(1, r.addressBytes());
        BigInteger size = BigInteger.ONE.shiftLeft(family.bits() - r.prefixLength());
        raw.add(new BigInteger[] {lo, lo.add(size).subtract(BigInteger.ONE)});
      }
    }
    raw.sort((a, b) -> a[0].compareTo(b[0]));
    List<BigInteger[]> merged = new ArrayList<>();
    for (BigInteger[] i : raw) {
      BigInteger[] tail = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (tail != null && i[0].compareTo(tail[1].add(BigInteger.ONE)) <= 0) {
        tail[1] = tail[1].max(i[1]);
      } else {
        merged.add(new BigInteger[] {i[0], i[1]});
      }
    }
    return merged;
  }

  /** The parts of sorted, merged {@code a} that lie in no interval of sorted, merged {@code b}. */
  private static List<BigInteger[]> subtract(List<BigInteger[]> a, List<BigInteger[]> b) {
    List<BigInteger[]> out = new ArrayList<>();
    int j = 0;
    for (BigInteger[] i : a) {
      BigInteger lo = i[0];
      while (j < b.size() && b.get(j)[1].compareTo(lo) < 0) {
        j++;
      }
      int k = j;
      while (lo != null && k < b.size() && b.get(k)[0].compareTo(i[1]) <= 0) {
        if (b.get(k)[0].compareTo(lo) > 0) {
          out.add(new BigInteger[] {lo, b.get(k)[0].subtract(BigInteger.ONE)});
        }
        lo = b.get(k)[1].compareTo(i[1]) >= 0 ? null : b.get(k)[1].add(BigInteger.ONE);
        k++;
      }
      if (lo != null) {
        out.add(new BigInteger[] {lo, i[1]});
      }
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

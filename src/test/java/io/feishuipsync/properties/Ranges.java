package io.feishuipsync.properties;

import io.feishuipsync.core.IpRange;
import java.util.SortedSet;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random address ranges of both families for the properties. Half of them come from a few small neighbourhoods (so
 * that random lists overlap, contain each other and share /64s and /24s), half from anywhere in the space.
 */
public final class Ranges {

  private Ranges() {}

  /** Any IPv4 or IPv6 range, host bits cleared. */
  public static Arbitrary<IpRange> any() {
    return Arbitraries.oneOf(v4(), v6(), near());
  }

  /** A random IPv4 prefix, /1 to /32. */
  public static Arbitrary<IpRange> v4() {
    return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(4),
        Arbitraries.integers().between(1, 32)).as(Ranges::masked);
  }

  /** A random IPv6 prefix, /1 to /128. */
  public static Arbitrary<IpRange> v6() {
    return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(16),
        Arbitraries.integers().between(1, 128)).as(Ranges::masked);
  }

  /** Ranges in 198.51.100.0/24 (/24../32) and 2001:db8::/48 (/48../128): they overlap often. */
  public static Arbitrary<IpRange> near() {
    Arbitrary<IpRange> v4 = Combinators.combine(Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(24, 32)).as((last, prefix) -> masked(new byte[] {(byte) 198, 51, 100,
        (byte) (int) last}, prefix));
    Arbitrary<IpRange> v6 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(10),
        Arbitraries.integers().between(48, 128)).as((tail, prefix) -> {
          byte[] a = new byte[16];
          a[0] = 0x20;
          a[1] = 0x01;
          a[2] = 0x0d;
          a[3] = (byte) 0xb8;
          System.arraycopy(tail, 0, a, 6, 10);
          return masked(a, prefix);
        });
    return Arbitraries.oneOf(v4, v6);
  }

  /** A list of up to {@code max} ranges, mostly from the neighbourhoods. */
  public static Arbitrary<SortedSet<IpRange>> lists(int max) {
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, near()), net.jqwik.api.Tuple.of(1, any()))
        .set().ofMaxSize(max).map(TreeSet::new);
  }

  static IpRange masked(byte[] address, int prefix) {
    byte[] a = address.clone();
    for (int bit = prefix; bit < a.length * 8; bit++) {
      a[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return IpRange.of(a, prefix);
  }
}

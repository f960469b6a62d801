package io.feishuipsync.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.IpRange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the address arithmetic every plan rests on: parsing and canonical text, order, containment, the
 * change between two lists, and the reduction to entries no other entry covers. Both families, random ranges.
 */
class AddressProperties {

  @Provide
  Arbitrary<IpRange> range() {
    return Ranges.any();
  }

  @Provide
  Arbitrary<SortedSet<IpRange>> list() {
    return Ranges.lists(40);
  }

  @Property(tries = 2000)
  void canonicalTextParsesBackToTheSameRange(@ForAll("range") IpRange r) {
    IpRange back = IpRange.parse(r.toString());
    assertEquals(r, back);
    assertEquals(r.toString(), back.toString(), "one canonical text");
    assertEquals(0, r.compareTo(back));
  }

  @Property(tries = 2000)
  void orderAgreesWithEqualityAndIsAntisymmetric(@ForAll("range") IpRange a, @ForAll("range") IpRange b) {
    assertEquals(a.equals(b), a.compareTo(b) == 0);
    assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)));
    assertTrue(!a.equals(b) || a.hashCode() == b.hashCode());
  }

  @Property(tries = 3000)
  void containmentIsPrefixArithmetic(@ForAll("range") IpRange a, @ForAll("range") IpRange b) {
    boolean expected = a.family() == b.family() && a.prefixLength() <= b.prefixLength()
        && first(a).shiftRight(bits(a) - a.prefixLength()).equals(first(b).shiftRight(bits(b) - a.prefixLength()));
    assertEquals(expected, a.contains(b), a + " contains " + b);
  }

  /**
   * The text forms with a zone or a space never parse; an IPv4-mapped or -compatible IPv6 form parses (an operator
   * may list one in also_allow) but a source's policy refuses it, whatever the address: Feishu's senders are IPv4 or
   * IPv6 hosts, not IPv4 hosts written as IPv6.
   */
  @Property(tries = 1000)
  void mappedFormsFailTheSourcePolicyAndZonedFormsDoNotParse(@ForAll @IntRange(min = 0, max = 255) int x,
      @ForAll @IntRange(min = 0, max = 255) int y) {
    String v4 = "203.0." + y + "." + x;
    for (String mapped : new String[] {"::ffff:" + v4, "::ffff:" + v4 + "/128", "::" + v4, "64:ff9b::" + v4}) {
      assertTrue(EntryPolicy.FEISHU_DEFAULTS.refusal(IpRange.parse(mapped)).isPresent(), mapped);
    }
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("fe80::" + Integer.toHexString(x) + "%eth0"));
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse(v4 + "%1"));
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse(" " + v4));
  }

  @Property(tries = 2000)
  void aPrefixWithAHostBitSetIsRefused(@ForAll("range") IpRange r, @ForAll @IntRange(min = 0, max = 127) int bit) {
    int total = bits(r);
    if (r.prefixLength() == total) {
      return;
    }
    int host = r.prefixLength() + bit % (total - r.prefixLength());
    byte[] a = r.addressBytes();
    a[host / 8] |= (byte) (0x80 >>> (host % 8));
    String text = IpRange.of(a, total).addressText() + "/" + r.prefixLength();
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse(text), text);
  }

  @Property(tries = 1000)
  void theChangeBetweenTwoListsTurnsTheOldIntoTheNew(@ForAll("list") SortedSet<IpRange> old,
      @ForAll("list") SortedSet<IpRange> desired) {
    ChangeSet change = ChangeSet.between(old, desired);
    SortedSet<IpRange> applied = new TreeSet<>(old);
    applied.removeAll(change.removed());
    applied.addAll(change.added());
    assertEquals(desired, applied);
    assertTrue(old.containsAll(change.removed()));
    assertFalse(change.added().stream().anyMatch(old::contains));
    assertEquals(change.isEmpty(), old.equals(desired));
  }

  @Property(tries = 1000)
  void withoutCoveredKeepsEveryAddressAndNoRedundantEntry(@ForAll("list") SortedSet<IpRange> list) {
    SortedSet<IpRange> reduced = AddressSets.withoutCovered(list);
    assertTrue(list.containsAll(reduced));
    for (IpRange r : list) {
      assertTrue(reduced.stream().anyMatch(k -> k.contains(r)), r + " is still covered");
    }
    List<IpRange> all = new ArrayList<>(reduced);
    for (IpRange a : all) {
      for (IpRange b : all) {
        assertTrue(a.equals(b) || !a.contains(b), a + " covers " + b);
      }
    }
    assertEquals(reduced, AddressSets.withoutCovered(reduced), "idempotent");
  }

  private static BigInteger first(IpRange r) {
    return new BigInteger(1, r.addressBytes());
  }

  private static int bits(IpRange r) {
    return r.addressBytes().length * 8;
  }
}

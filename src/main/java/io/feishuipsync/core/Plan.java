package io.feishuipsync.core;

import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * What a sync is about to do, decided without side effects: the change from the current list to the fetched one,
 * and whether the guards allow it.
 *
 * @param desired the fetched list
 * @param change from the baseline to {@code desired}
 * @param baselineKnown false when there was no usable snapshot nor anything read back from the writers
 * @param refusal why the guards refuse the change, or null when it may be applied
 */
public record Plan(SortedSet<IpRange> desired, ChangeSet change, boolean baselineKnown, String refusal) {

  /**
   * Computes the plan. {@code baseline} is what is applied now (the snapshot, or failing that what the writers hold),
   * empty when unknown. An empty list and a list below {@code min_entries} are always refused; a removal beyond
   * {@code max_removal_ratio} and an addition of more addresses than {@code max_added_v4_addresses} or
   * {@code max_added_v6_networks} (a first run included) are refused unless {@code force}.
   */
  public static Plan of(Optional<? extends Set<IpRange>> baseline, SortedSet<IpRange> desired, GuardSettings guard,
      boolean force) {
    Set<IpRange> current = baseline.isPresent() ? baseline.get() : Set.of();
    ChangeSet change = ChangeSet.between(current, desired);
    return new Plan(desired, change, baseline.isPresent(), refusal(current, desired, change, guard, force));
  }

  /** True when the guards allow the change. */
  public boolean allowed() {
    return refusal == null;
  }

  private static String refusal(Set<IpRange> current, SortedSet<IpRange> desired, ChangeSet change,
      GuardSettings guard, boolean force) {
    if (desired.isEmpty()) {
      return "the source returned an empty list; applying it would shut out every callback";
    }
    if (desired.size() < guard.minEntries()) {
      return "the source returned " + desired.size() + " entries, fewer than guard.min_entries "
          + guard.minEntries();
    }
    if (force) {
      return null;
    }
    String tooWide = opensTooMuch(current, desired, guard, "");
    if (tooWide != null || current.isEmpty()) {
      return tooWide;
    }
    double ratio = (double) change.removed().size() / current.size();
    if (ratio > guard.maxRemovalRatio()) {
      return String.format(java.util.Locale.ROOT,
          "the change removes %d of %d current entries (%.0f%%), more than guard.max_removal_ratio %.0f%%;"
              + " rerun with --force if this is expected",
          change.removed().size(), current.size(), ratio * 100, guard.maxRemovalRatio() * 100);
    }
    return null;
  }

  /**
   * The address guards alone: why going from {@code current} to {@code desired} opens more IPv4 addresses or IPv6
   * /64 networks than {@code guard} allows, or null. {@code held} ends the first words of the sentence, e.g. {@code
   * " that nftables:x does not admit now"}.
   */
  public static String opensTooMuch(Set<IpRange> current, Set<IpRange> desired, GuardSettings guard, String held) {
    String tooWide = addedBeyond(current, desired, IpRange.Family.IPV4, 32, guard.maxAddedV4Addresses(),
        "IPv4 addresses", "guard.max_added_v4_addresses", held);
    return tooWide != null ? tooWide : addedBeyond(current, desired, IpRange.Family.IPV6, 64,
        guard.maxAddedV6Networks(), "IPv6 /64 networks", "guard.max_added_v6_networks", held);
  }

  private static String addedBeyond(Set<IpRange> current, Set<IpRange> desired, IpRange.Family family,
      int blockPrefix, long max, String what, String key, String held) {
    BigInteger added = AddressSets.addedBlocks(current, desired, family, blockPrefix);
    if (added.compareTo(BigInteger.valueOf(max)) <= 0) {
      return null;
    }
    return "the change opens " + added + " " + what + held + ", more than " + key + " " + max
        + "; rerun with --force if this is expected";
  }
}

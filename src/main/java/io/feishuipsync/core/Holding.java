package io.feishuipsync.core;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a writer's target holds now, as read back from it.
 *
 * @param entries the addresses the target admits
 * @param drift what else differs from what the writer would have written (a missing rule, a foreign line), one
 *     sentence each; a target with drift is rewritten even when its entries are right
 */
public record Holding(SortedSet<IpRange> entries, List<String> drift) {

  private static final String MISSING = " is missing";

  public Holding {
    entries = Collections.unmodifiableSortedSet(new TreeSet<>(entries));
    // A drift line may quote what a tool printed or a cloud answered: one clean line each.
    drift = drift.stream().map(d -> Sanitize.text(d, 1000)).toList();
  }

  /** Holding exactly {@code entries}, with nothing else amiss. */
  public static Holding of(SortedSet<IpRange> entries) {
    return new Holding(entries, List.of());
  }

  /** The drift sentence for a part of the target that is not there, e.g. {@code "table inet x"}. */
  public static String missing(String part) {
    return part + MISSING;
  }

  /** True when {@code drift} says a part of the target is not there (see {@link #missing}). */
  public static boolean isMissingPart(String drift) {
    return drift.endsWith(MISSING);
  }

  /** True when the target already holds exactly {@code desired} and nothing else is amiss. */
  public boolean inSync(SortedSet<IpRange> desired) {
    return drift.isEmpty() && entries.equals(desired);
  }
}

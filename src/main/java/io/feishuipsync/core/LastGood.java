package io.feishuipsync.core;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The last list one source answered in full, kept so that its failure never removes its addresses.
 *
 * @param entries the list as planned (entries covered by a wider one of the same list left out)
 * @param fetchedAt when it was fetched
 * @param origin where it came from (the base URL)
 */
public record LastGood(SortedSet<IpRange> entries, Instant fetchedAt, String origin) {

  public LastGood {
    entries = Collections.unmodifiableSortedSet(new TreeSet<>(entries));
  }
}

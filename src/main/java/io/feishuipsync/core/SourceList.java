package io.feishuipsync.core;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A complete, validated answer from the address source.
 *
 * @param entries the normalised, deduplicated, ordered addresses
 * @param source where they came from (the base URL)
 * @param fetchedAt when the listing that gave these entries began: the list is no older than this
 * @param requests how many HTTP requests the fetch took (token included)
 */
public record SourceList(SortedSet<IpRange> entries, String source, Instant fetchedAt, int requests) {

  public SourceList {
    entries = Collections.unmodifiableSortedSet(new TreeSet<>(entries));
  }
}

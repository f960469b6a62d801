package io.feishuipsync.config;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.RemovalSettings;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where the list comes from and how it changes.
 *
 * @param senders every sender: the apps of {@code feishu:} first, then {@code senders:}, in config order
 * @param alsoAllow the operator's own entries for every writer ({@code also_allow})
 * @param removal when a missing address really goes ({@code removal})
 * @param maxAge a source whose last good list is older than this raises an alert ({@code sources.max_age})
 */
public record ListSettings(List<SenderSpec> senders, SortedSet<IpRange> alsoAllow, RemovalSettings removal,
    Duration maxAge) {

  public ListSettings {
    senders = List.copyOf(senders);
    alsoAllow = Collections.unmodifiableSortedSet(new TreeSet<>(alsoAllow));
  }

  /** What {@code status} needs of the config, read without its secrets: when removals happen and sources age. */
  public record Timings(RemovalSettings removal, Duration maxAge) {}
}

package io.feishuipsync.core;

/**
 * Which changes are refused.
 *
 * @param minEntries a list with fewer entries is refused (at least 1: an empty list is always refused)
 * @param maxRemovalRatio a change removing more than this share of the current entries is refused unless forced
 * @param maxAddedV4Addresses a change opening more IPv4 addresses than this is refused unless forced
 * @param maxAddedV6Networks a change opening more IPv6 /64 networks than this is refused unless forced (a longer
 *     prefix counts as the /64 it lies in)
 */
public record GuardSettings(int minEntries, double maxRemovalRatio, long maxAddedV4Addresses,
    long maxAddedV6Networks) {

  /** A /16: the broadest entry {@code validation.min_prefix_v4} accepts by default. */
  public static final long DEFAULT_MAX_ADDED_V4_ADDRESSES = 65_536;
  /** A /48's worth of /64 networks. */
  public static final long DEFAULT_MAX_ADDED_V6_NETWORKS = 65_536;

  public static final GuardSettings DEFAULTS = new GuardSettings(1, 0.5);

  /** The given entry guards with the default address guards. */
  public GuardSettings(int minEntries, double maxRemovalRatio) {
    this(minEntries, maxRemovalRatio, DEFAULT_MAX_ADDED_V4_ADDRESSES, DEFAULT_MAX_ADDED_V6_NETWORKS);
  }
}

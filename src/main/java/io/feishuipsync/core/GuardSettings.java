package io.feishuipsync.core;

/**
 * Which changes are refused.
 *
 * @param minEntries a list with fewer entries is refused (at least 1: an empty list is always refused)
 * @param maxRemovalRatio a change removing more than this share of the current entries is refused unless forced
 */
public record GuardSettings(int minEntries, double maxRemovalRatio) {

  public static final GuardSettings DEFAULTS = new GuardSettings(1, 0.5);
}

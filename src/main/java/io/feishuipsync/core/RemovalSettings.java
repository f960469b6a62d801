package io.feishuipsync.core;

import java.time.Duration;

/**
 * When an address missing from the fetched list is really removed.
 *
 * @param confirmations consecutive successful fetches it must be missing from (1: the first one)
 * @param grace how long it must have been missing (zero: no wait)
 */
public record RemovalSettings(int confirmations, Duration grace) {

  /** Today's behaviour: removed by the first fetch that lacks it. */
  public static final RemovalSettings IMMEDIATE = new RemovalSettings(1, Duration.ZERO);

  public RemovalSettings {
    if (confirmations < 1 || grace.isNegative()) {
      throw new IllegalArgumentException("confirmations is at least 1 and grace is not negative");
    }
  }
}

package io.feishuipsync.core;

import java.time.Instant;

/**
 * An address the fetched list no longer holds but that is still applied, waiting for its removal to be confirmed.
 *
 * @param address the entry still held
 * @param missingSince when the first fetch without it was planned
 * @param misses consecutive successful fetches it was missing from
 * @param source the sources whose last list held it, comma-separated ({@code feishu}, {@code feishu,lark}), or
 *     empty when unknown
 */
public record PendingRemoval(IpRange address, Instant missingSince, int misses, String source) {

  /** A pending removal whose source is not known. */
  public PendingRemoval(IpRange address, Instant missingSince, int misses) {
    this(address, missingSince, misses, "");
  }

  /** When it may go under {@code settings}: at once if its misses suffice, else once its grace has passed. */
  public Instant removableAfter(RemovalSettings settings) {
    return missingSince.plus(settings.grace());
  }

  /** True when {@code settings} let it go at {@code now}. */
  public boolean removable(RemovalSettings settings, Instant now) {
    return misses >= settings.confirmations() && !now.isBefore(removableAfter(settings));
  }
}

package io.feishuipsync.writer.feed;

import io.feishuipsync.core.IpRange;

/** Which addresses a feed serves. */
enum FeedFamily {
  IPV4,
  IPV6,
  BOTH;

  boolean admits(IpRange r) {
    return this == BOTH || (this == IPV4) == (r.family() == IpRange.Family.IPV4);
  }
}

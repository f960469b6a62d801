package io.feishuipsync.core;

import java.util.List;
import java.util.Optional;

/**
 * Which entries a source may contribute. The policy belongs to the source, not to the address type: Feishu's
 * senders are public hosts, so its entries may not lie in special-purpose ranges; an operator's own entries may.
 *
 * @param minPrefixV4 IPv4 prefixes shorter (broader) than this are refused
 * @param minPrefixV6 IPv6 prefixes shorter than this are refused
 * @param publicOnly refuse entries that overlap a {@link SpecialRanges special-purpose range}
 * @param allowSpecial special-purpose ranges accepted all the same (labs, tests): an entry inside one is not refused
 * @param keyPrefix the config section that sets this policy, named in refusals (e.g. {@code validation})
 */
public record EntryPolicy(int minPrefixV4, int minPrefixV6, boolean publicOnly, List<IpRange> allowSpecial,
    String keyPrefix) {

  public static final int DEFAULT_MIN_PREFIX_V4 = 16;
  public static final int DEFAULT_MIN_PREFIX_V6 = 32;

  /** Feishu's defaults: public addresses only, nothing exempt, at most a /16 or a /32. */
  public static final EntryPolicy FEISHU_DEFAULTS =
      new EntryPolicy(DEFAULT_MIN_PREFIX_V4, DEFAULT_MIN_PREFIX_V6, true, List.of(), "validation");

  public EntryPolicy {
    if (minPrefixV4 < 1 || minPrefixV4 > 32 || minPrefixV6 < 1 || minPrefixV6 > 128) {
      throw new IllegalArgumentException("minimum prefix lengths are 1..32 and 1..128");
    }
    allowSpecial = List.copyOf(allowSpecial);
  }

  /** Why {@code r} may not come from this source, or empty when it may. */
  public Optional<String> refusal(IpRange r) {
    boolean v4 = r.family() == IpRange.Family.IPV4;
    int min = v4 ? minPrefixV4 : minPrefixV6;
    if (r.prefixLength() < min) {
      return Optional.of("is broader than " + keyPrefix + ".min_prefix_" + (v4 ? "v4" : "v6") + " /" + min);
    }
    if (!publicOnly || allowSpecial.stream().anyMatch(a -> a.contains(r))) {
      return Optional.empty();
    }
    return SpecialRanges.overlap(r).map(why -> why + ", and the source's senders are public hosts ("
        + keyPrefix + ".allow_special exempts a range for labs and tests)");
  }

  /** {@code source} with this policy applied: a list holding one refused entry fails whole, nothing applied. */
  public AddressSource enforcedOn(AddressSource source) {
    return () -> {
      SourceList list = source.fetch();
      for (IpRange r : list.entries()) {
        Optional<String> why = refusal(r);
        if (why.isPresent()) {
          throw new SourceException("invalid answer from " + list.source() + ", nothing applied: entry " + r + " "
              + why.get(), null);
        }
      }
      return list;
    };
  }
}

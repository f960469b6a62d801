package io.feishuipsync.config;

import static java.util.Objects.requireNonNullElse;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.EnforceSettings;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.source.SourceType;
import io.feishuipsync.source.feishu.FeishuSourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates the {@code guard}, {@code validation} and {@code enforce} sections into {@link GuardSettings},
 * {@link EntryPolicy} and {@link EnforceSettings}.
 */
final class PolicySections {

  private PolicySections() {
  }

  static GuardSettings guard(RawConfig.Guard g) {
    if (g == null) {
      return GuardSettings.DEFAULTS;
    }
    int min = requireNonNullElse(g.minEntries(), GuardSettings.DEFAULTS.minEntries());
    if (min < 1) {
      throw new ConfigException("guard.min_entries", min + " is below 1; an empty list is always refused");
    }
    double ratio = requireNonNullElse(g.maxRemovalRatio(), GuardSettings.DEFAULTS.maxRemovalRatio());
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new ConfigException("guard.max_removal_ratio", ratio + " is outside 0..1");
    }
    long v4 = requireNonNullElse(g.maxAddedV4Addresses(), GuardSettings.DEFAULT_MAX_ADDED_V4_ADDRESSES);
    if (v4 < 1) {
      throw new ConfigException("guard.max_added_v4_addresses", v4 + " is below 1");
    }
    long v6 = requireNonNullElse(g.maxAddedV6Networks(), GuardSettings.DEFAULT_MAX_ADDED_V6_NETWORKS);
    if (v6 < 1) {
      throw new ConfigException("guard.max_added_v6_networks", v6 + " is below 1");
    }
    return new GuardSettings(min, ratio, v4, v6);
  }

  /** The top-level {@code validation}: Feishu's defaults where it says nothing. */
  static EntryPolicy validation(RawConfig.Validation v) {
    return validation("validation", null, v, FeishuSourceType.TYPE);
  }

  /**
   * The policy of a sender of {@code type}: each key from its own {@code validation} ({@code own}, at {@code key}),
   * else from the top-level one ({@code top}), else the type's published prefix lengths and no exemption.
   */
  static EntryPolicy validation(String key, RawConfig.Validation own, RawConfig.Validation top, SourceType<?> type) {
    RawConfig.Validation none = new RawConfig.Validation(null, null, null);
    RawConfig.Validation o = own == null ? none : own;
    RawConfig.Validation t = top == null ? none : top;
    String v4Key = o.minPrefixV4() != null ? key : "validation";
    int v4 = requireNonNullElse(o.minPrefixV4(), requireNonNullElse(t.minPrefixV4(), type.minPrefixV4()));
    if (v4 < 1 || v4 > 32) {
      throw new ConfigException(v4Key + ".min_prefix_v4", v4 + " is outside 1..32");
    }
    String v6Key = o.minPrefixV6() != null ? key : "validation";
    int v6 = requireNonNullElse(o.minPrefixV6(), requireNonNullElse(t.minPrefixV6(), type.minPrefixV6()));
    if (v6 < 1 || v6 > 128) {
      throw new ConfigException(v6Key + ".min_prefix_v6", v6 + " is outside 1..128");
    }
    String allowKey = o.allowSpecial() != null ? key : "validation";
    List<String> listed = requireNonNullElse(o.allowSpecial(), requireNonNullElse(t.allowSpecial(), List.of()));
    List<IpRange> allow = new ArrayList<>();
    for (int i = 0; i < listed.size(); i++) {
      if (listed.get(i) != null && listed.get(i).isEmpty()) {
        // What an unset ${VAR:-} leaves: the config offers an exemption it does not grant (quickstart.yaml).
        continue;
      }
      try {
        allow.add(IpRange.parse(listed.get(i)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(allowKey + ".allow_special[" + i + "]", "'" + listed.get(i) + "' is not a CIDR: "
            + e.getMessage());
      }
    }
    return new EntryPolicy(v4, v6, true, allow, key);
  }

  static EnforceSettings enforce(RawConfig.Enforce e) {
    if (e == null) {
      return EnforceSettings.DEFAULTS;
    }
    Duration interval = Durations.positive("enforce.interval", e.interval(), EnforceSettings.DEFAULT_INTERVAL);
    if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException("enforce.interval", Durations.format(interval) + " is outside 1s..1h");
    }
    String before = requireNonNullElse(e.beforeFirstList(), "closed");
    if (!before.equals("closed") && !before.equals("open")) {
      throw new ConfigException("enforce.before_first_list", "'" + before + "' is not one of: closed, open");
    }
    return new EnforceSettings(interval, before.equals("closed"));
  }
}

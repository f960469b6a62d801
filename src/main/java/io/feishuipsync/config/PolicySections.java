package io.feishuipsync.config;

import static java.util.Objects.requireNonNullElse;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.EnforceSettings;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
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

  static EntryPolicy validation(RawConfig.Validation v) {
    if (v == null) {
      return EntryPolicy.FEISHU_DEFAULTS;
    }
    int v4 = requireNonNullElse(v.minPrefixV4(), EntryPolicy.DEFAULT_MIN_PREFIX_V4);
    if (v4 < 1 || v4 > 32) {
      throw new ConfigException("validation.min_prefix_v4", v4 + " is outside 1..32");
    }
    int v6 = requireNonNullElse(v.minPrefixV6(), EntryPolicy.DEFAULT_MIN_PREFIX_V6);
    if (v6 < 1 || v6 > 128) {
      throw new ConfigException("validation.min_prefix_v6", v6 + " is outside 1..128");
    }
    List<IpRange> allow = new ArrayList<>();
    List<String> listed = requireNonNullElse(v.allowSpecial(), List.of());
    for (int i = 0; i < listed.size(); i++) {
      String key = "validation.allow_special[" + i + "]";
      if (listed.get(i) != null && listed.get(i).isEmpty()) {
        // What an unset ${VAR:-} leaves: the config offers an exemption it does not grant (quickstart.yaml).
        continue;
      }
      try {
        allow.add(IpRange.parse(listed.get(i)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key, "'" + listed.get(i) + "' is not a CIDR: " + e.getMessage());
      }
    }
    return new EntryPolicy(v4, v6, true, allow, "validation");
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

package io.feishuipsync.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.databind.JsonNode;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.SpecialRanges;
import io.feishuipsync.feishu.FeishuSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Validates {@code feishu} (one app or a list), {@code also_allow}, {@code removal} and {@code sources}. */
final class ListSections {

  /** The broadest own entries accepted: 10.0.0.0/8 is the widest private network; no /0 nor anything near it. */
  static final EntryPolicy OWN = new EntryPolicy(8, 16, false, List.of(), "also_allow");
  private static final int MAX_OWN = 10_000;
  private static final int MAX_APPS = 8;
  private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  private static final Duration MAX_GRACE = Duration.ofDays(90);

  private ListSections() {
  }

  static ListSettings from(RawConfig raw, Secrets secrets) {
    return new ListSettings(apps(raw.feishu(), secrets), ownEntries("also_allow", raw.alsoAllow()),
        removal(raw.removal()), maxAge(raw.sources()));
  }

  private static List<ListSettings.App> apps(JsonNode node, Secrets secrets) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw new ConfigException("feishu", "missing; it needs at least app_id and the app secret");
    }
    if (node.isObject()) {
      RawConfig.Feishu f = ConfigText.map(node, RawConfig.Feishu.class, "feishu");
      FeishuSettings s = FeishuSection.settings(f, secrets);
      String label = f.name() != null ? label("feishu.name", f.name())
          : s.baseUrl().equals(FeishuSettings.LARK) ? "lark" : "feishu";
      return List.of(new ListSettings.App(label, s));
    }
    if (!node.isArray() || node.isEmpty() || node.size() > MAX_APPS) {
      throw new ConfigException("feishu", "must be one app (a mapping) or a list of 1.." + MAX_APPS + " apps");
    }
    List<ListSettings.App> out = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String key = "feishu[" + i + "]";
      if (!node.get(i).isObject()) {
        throw new ConfigException(key, "must be a mapping with name, app_id and the app secret");
      }
      RawConfig.Feishu f = ConfigText.map(node.get(i), RawConfig.Feishu.class, key);
      if (f.name() == null) {
        throw new ConfigException(key + ".name", "missing; each app of a list needs a name, e.g. feishu or lark");
      }
      String label = label(key + ".name", f.name());
      if (!labels.add(label)) {
        throw new ConfigException(key + ".name", "'" + label + "' names a second app; each needs its own name");
      }
      out.add(new ListSettings.App(label,
          FeishuSection.settings(f, secrets, key, Secrets.CREDENTIAL_NAME + "_" + label)));
    }
    return out;
  }

  private static String label(String key, String name) {
    if (!LABEL.matcher(name).matches() || name.equals("config")) {
      throw new ConfigException(key, "'" + name + "' is not a source name (lower-case letters, digits, _ and -,"
          + " at most 32; 'config' is the operator's own entries)");
    }
    return name;
  }

  /** The own entries at {@code key}: addresses of any kind, but none as broad as a /0 (or a /1../7). */
  static SortedSet<IpRange> ownEntries(String key, List<String> listed) {
    SortedSet<IpRange> out = new TreeSet<>();
    if (listed == null) {
      return out;
    }
    if (listed.size() > MAX_OWN) {
      throw new ConfigException(key, listed.size() + " entries, more than " + MAX_OWN);
    }
    for (int i = 0; i < listed.size(); i++) {
      String at = key + "[" + i + "]";
      String text = listed.get(i);
      if (text != null && text.isEmpty()) {
        // What an unset ${VAR:-} leaves: an entry the config offers but does not set.
        continue;
      }
      if (text != null && text.strip().endsWith("/0")) {
        // IpRange refuses a /0 too; this says what to do instead.
        throw new ConfigException(at, "'" + text + "' would let every address in; list the networks that need"
            + " access (e.g. the load balancer's subnet)");
      }
      IpRange r;
      try {
        r = IpRange.parse(text);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(at, "'" + text + "' is not an address or CIDR: " + e.getMessage());
      }
      Optional<String> why = OWN.refusal(r);
      if (why.isPresent()) {
        throw new ConfigException(at, "'" + text + "' is broader than /" + (r.family() == IpRange.Family.IPV4
            ? OWN.minPrefixV4() : OWN.minPrefixV6()) + ", the broadest own entry accepted");
      }
      Optional<Map.Entry<Integer, SpecialRanges.Range>> v4 = SpecialRanges.embeddedIpv4(r);
      if (v4.isPresent() && v4.get().getKey() < OWN.minPrefixV4()) {
        // Through a mapping or a NAT64 gateway it is IPv4 space, held to the IPv4 limit.
        throw new ConfigException(at, "'" + text + "' lets in an IPv4 /" + v4.get().getKey() + " through "
            + v4.get().getValue() + "; through such a range an own entry may admit at most a /" + OWN.minPrefixV4()
            + " of IPv4");
      }
      out.add(r);
    }
    return out;
  }

  static ListSettings.Timings timings(JsonNode tree) {
    JsonNode removal = tree == null ? null : tree.get("removal");
    JsonNode sources = tree == null ? null : tree.get("sources");
    return new ListSettings.Timings(
        removal(removal == null ? null : ConfigText.map(removal, RawConfig.Removal.class, "removal")),
        maxAge(sources == null ? null : ConfigText.map(sources, RawConfig.Sources.class, "sources")));
  }

  private static RemovalSettings removal(RawConfig.Removal r) {
    if (r == null) {
      return RemovalSettings.IMMEDIATE;
    }
    int confirmations = requireNonNullElse(r.confirmations(), 1);
    if (confirmations < 1 || confirmations > 1000) {
      throw new ConfigException("removal.confirmations", confirmations + " is outside 1..1000");
    }
    Duration grace = r.grace() == null ? Duration.ZERO : Durations.parse("removal.grace", r.grace());
    if (grace.compareTo(MAX_GRACE) > 0) {
      throw new ConfigException("removal.grace", r.grace() + " is longer than 90d");
    }
    return new RemovalSettings(confirmations, grace);
  }

  private static Duration maxAge(RawConfig.Sources s) {
    return Durations.positive("sources.max_age", s == null ? null : s.maxAge(), Duration.ofHours(48));
  }
}

package io.feishuipsync.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SourceReport;
import io.feishuipsync.core.SpecialRanges;
import io.feishuipsync.source.Source;
import io.feishuipsync.source.SourceRegistry;
import io.feishuipsync.source.SourceType;
import io.feishuipsync.source.feishu.FeishuSourceType;
import io.feishuipsync.sync.Senders;
import java.nio.file.Path;
import java.time.Clock;
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

/**
 * Validates the senders ({@code feishu}, one app or a list, and {@code senders}), {@code also_allow}, {@code removal}
 * and {@code sources}.
 */
final class ListSections {

  /** The broadest own entries accepted: 10.0.0.0/8 is the widest private network; no /0 nor anything near it. */
  static final EntryPolicy OWN = new EntryPolicy(8, 16, false, List.of(), "also_allow");
  private static final int MAX_OWN = 10_000;
  private static final int MAX_APPS = 8;
  private static final int MAX_SENDERS = 32;
  private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  private static final Duration MAX_GRACE = Duration.ofDays(90);

  private ListSections() {
  }

  static ListSettings from(RawConfig raw, SourceRegistry registry, Path credentials) {
    List<SenderSpec> senders = new ArrayList<>(apps(raw.feishu(), raw.validation(), credentials));
    senders.addAll(senders(raw.senders(), registry, raw.validation(), credentials));
    if (senders.isEmpty()) {
      throw new ConfigException("feishu", "missing; it needs at least app_id and the app secret (or name the"
          + " senders under senders:)");
    }
    Set<String> names = new HashSet<>();
    for (SenderSpec x : senders) {
      if (!names.add(x.name())) {
        throw new ConfigException(x.key() + ".name", "'" + x.name() + "' names a second sender; each needs its"
            + " own name");
      }
    }
    return new ListSettings(senders, ownEntries("also_allow", raw.alsoAllow()), removal(raw.removal()),
        maxAge(raw.sources()));
  }

  /** The apps of {@code feishu:}: none when it is absent (other senders may be named), one, or a list. */
  private static List<SenderSpec> apps(JsonNode node, RawConfig.Validation top, Path credentials) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return List.of();
    }
    if (node.isObject()) {
      ObjectNode app = ((ObjectNode) node).deepCopy();
      JsonNode name = app.remove("name");
      FeishuSourceType.Settings f = ConfigText.map(app, FeishuSourceType.Settings.class, "feishu");
      String label = name != null && !name.isNull() ? label("feishu.name", name.asText())
          : FeishuSourceType.isLark(f) ? "lark" : Senders.DEFAULT_LABEL;
      return List.of(spec("feishu", label, FeishuSourceType.TYPE, f, top, null, name == null, credentials));
    }
    if (!node.isArray() || node.isEmpty() || node.size() > MAX_APPS) {
      throw new ConfigException("feishu", "must be one app (a mapping) or a list of 1.." + MAX_APPS + " apps");
    }
    List<SenderSpec> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String key = "feishu[" + i + "]";
      if (!node.get(i).isObject()) {
        throw new ConfigException(key, "must be a mapping with name, app_id and the app secret");
      }
      ObjectNode app = ((ObjectNode) node.get(i)).deepCopy();
      JsonNode name = app.remove("name");
      if (name == null || name.isNull()) {
        throw new ConfigException(key + ".name", "missing; each app of a list needs a name, e.g. feishu or lark");
      }
      String label = label(key + ".name", name.asText());
      FeishuSourceType.Settings f = ConfigText.map(app, FeishuSourceType.Settings.class, key);
      out.add(spec(key, label, FeishuSourceType.TYPE, f, top, null, false, credentials));
    }
    return out;
  }

  /** The items of {@code senders:}, each {@code type}, {@code name}, an optional {@code validation} and its own keys. */
  private static List<SenderSpec> senders(List<JsonNode> nodes, SourceRegistry registry, RawConfig.Validation top,
      Path credentials) {
    if (nodes == null) {
      return List.of();
    }
    if (nodes.size() > MAX_SENDERS) {
      throw new ConfigException("senders", nodes.size() + " senders, more than " + MAX_SENDERS);
    }
    List<SenderSpec> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      String key = "senders[" + i + "]";
      JsonNode node = nodes.get(i);
      if (node == null || !node.isObject()) {
        throw new ConfigException(key, "must be a mapping with type and name");
      }
      ObjectNode settings = ((ObjectNode) node).deepCopy();
      JsonNode type = settings.remove("type");
      if (type == null || !type.isTextual()) {
        throw new ConfigException(key + ".type", "missing; one of: " + String.join(", ", registry.typeNames()));
      }
      SourceType<?> t = registry.find(type.asText()).orElseThrow(() -> new ConfigException(key + ".type",
          "'" + type.asText() + "' is not one of: " + String.join(", ", registry.typeNames())));
      JsonNode name = settings.remove("name");
      if (name == null || name.isNull()) {
        throw new ConfigException(key + ".name", "missing; each sender needs a name, e.g. " + t.type());
      }
      String label = label(key + ".name", name.asText());
      JsonNode validation = settings.remove("validation");
      RawConfig.Validation own = validation == null || validation.isNull() ? null
          : ConfigText.map(validation, RawConfig.Validation.class, key + ".validation");
      Object parsed = ConfigText.map(settings, t.settingsClass(), key);
      out.add(spec(key, label, t, parsed, top, own, false, credentials));
    }
    return out;
  }

  /** A sender, validated by building it once (it sends nothing) and closing it. */
  private static SenderSpec spec(String key, String label, SourceType<?> type, Object settings,
      RawConfig.Validation top, RawConfig.Validation own, boolean unsuffixed, Path credentials) {
    EntryPolicy policy = PolicySections.validation(own == null ? "validation" : key + ".validation", own, top, type);
    SenderSpec spec = new SenderSpec(key, label, type, settings, policy, unsuffixed, credentials);
    Sleeper never = d -> {
      throw new IllegalStateException("validation waits for nothing");
    };
    try (Source probe = spec.build(Clock.systemUTC(), never)) {
      return spec;
    }
  }

  private static String label(String key, String name) {
    if (!LABEL.matcher(name).matches() || name.equals(SourceReport.CONFIG)) {
      throw new ConfigException(key, "'" + name + "' is not a sender name (lower-case letters, digits, _ and -,"
          + " at most 32; 'config' is the operator's own entries)");
    }
    return name;
  }

  /**
   * The senders a writer takes ({@code writers[i].senders}, at {@code key}): names of configured senders; empty
   * (every sender) when absent or when it names them all.
   */
  static Set<String> routing(String key, JsonNode node, ListSettings lists) {
    if (node == null || node.isNull()) {
      return Set.of();
    }
    List<String> known = lists.senders().stream().map(SenderSpec::name).toList();
    if (!node.isArray() || node.isEmpty()) {
      throw new ConfigException(key, "must be a list of sender names, e.g. [" + known.get(0) + "]; leave it out"
          + " for every sender");
    }
    Set<String> out = new java.util.LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode n = node.get(i);
      if (!n.isTextual() || !known.contains(n.asText())) {
        throw new ConfigException(key + "[" + i + "]", "'" + (n.isTextual() ? n.asText() : n.toString())
            + "' is not a configured sender; the senders are: " + String.join(", ", known));
      }
      if (!out.add(n.asText())) {
        throw new ConfigException(key + "[" + i + "]", "'" + n.asText() + "' is named twice");
      }
    }
    return out.size() == known.size() ? Set.of() : out;
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

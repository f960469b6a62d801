package io.feishuipsync.writer.huaweicloud;

import io.feishuipsync.cloud.Batches;
import io.feishuipsync.cloud.CloudCalls;
import io.feishuipsync.cloud.GroupWriter;
import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.cloud.RuleGroups;
import io.feishuipsync.cloud.RuleKey;
import io.feishuipsync.cloud.huaweicloud.VpcApi;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.Names;
import io.feishuipsync.writer.PortRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ingress rules in Huawei Cloud VPC security groups (API v3): one allow rule of priority 1 per address and
 * port range, marked by the rule description. Converges from the groups' real rules like the other security group
 * writers ({@link RuleGroups}): creates what is missing first, then deletes what is no longer listed, so the
 * allowed set never has a gap. Rules without the marker are never touched.
 */
final class HuaweiSecurityGroupWriter implements GroupWriter<HuaweiSecurityGroupWriter.GroupRules> {

  private static final Logger log = LoggerFactory.getLogger(HuaweiSecurityGroupWriter.class);
  /** Rules per BatchCreateSecurityGroupRules call. */
  static final int BATCH = 20;
  /** A group holds at most a few thousand rules; more pages than this is an answer not to trust. */
  static final int MAX_PAGES = 50;
  private static final Pattern RULE_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
      + "[0-9a-f]{12}");
  private static final Pattern PORTS = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?");

  /**
   * A group's rules: ours by key (with rule id), marked rules that are not ours to keep, the others' count, and of
   * those the ones that are exactly what one of ours would be (VPC skips our copy of such a rule, and its
   * description cannot be changed, so it stays its owner's: {@link RuleGroups.Cloud#relabels}).
   */
  record GroupRules(Map<RuleKey, String> ours, List<String> strays, int foreign, Map<RuleKey, String> covered)
      implements RuleGroups.Held {}

  /** Groups, ports, protocol and marker to keep; {@code maxRules} is the rules-per-group quota. */
  record Target(String region, List<String> groupIds, List<PortRange> ports, String protocol, String marker,
      int maxRules) {}

  /** Makes the SDK side on first use, so that a config check needs neither the bundle nor credentials. */
  @FunctionalInterface
  interface Apis {
    VpcApi get();
  }

  private final Target t;
  private final CloudCalls<VpcApi.Refusal> calls;
  private final Lazy<VpcApi, RuntimeException> api;
  private final RuleGroups<GroupRules> groups;

  HuaweiSecurityGroupWriter(Target target, Apis apis, Sleeper sleeper,
      java.util.function.Supplier<java.util.SortedSet<IpRange>> lastApplied) {
    this.t = target;
    this.api = new Lazy<>(apis::get);
    this.calls = VpcCalls.of(name(), sleeper);
    this.groups = new RuleGroups<>(target.groupIds(), target.ports(), target.protocol(), this, log)
        .listed(lastApplied);
  }

  @Override
  public boolean relabels() {
    return false;
  }

  @Override
  public String name() {
    return "huaweicloud-security-group:" + String.join(",", t.groupIds());
  }

  @Override
  public Set<String> targets() {
    return Names.marked("huaweicloud security group", t.groupIds().stream().map(g -> g + " in " + t.region())
        .toList(), t.marker());
  }

  @Override
  public RuleGroups<GroupRules> groups() {
    return groups;
  }

  @Override
  public String stray(String group, String id) {
    return group + ": rule " + id + " carries the marker but is not one of ours";
  }

  /** VPC counts every rule of a group, both directions and families, against one quota. */
  @Override
  public void checkQuota(String group, GroupRules r, Set<RuleKey> want) throws WriterException {
    RuleGroups.checkPeak(name(), group, r, r.foreign(), want, t.maxRules());
  }

  /**
   * A rule is ours when it is an ingress rule whose description is exactly the marker. Of those, an allow rule of
   * priority 1 for one address block, our protocol and one configured port range is kept by its key; any other is a
   * stray to delete. Everything comes from the network and is checked before it is used or logged.
   */
  @Override
  public GroupRules rules(String group) throws WriterException {
    List<VpcApi.Rule> all = calls.call("ListSecurityGroupRules", () -> api().rules(group, MAX_PAGES));
    Map<RuleKey, String> ours = new HashMap<>();
    List<String> strays = new ArrayList<>();
    Map<RuleKey, String> covered = new HashMap<>();
    int foreign = 0;
    for (VpcApi.Rule r : all) {
      if (!"ingress".equals(r.direction()) || !t.marker().equals(r.description())) {
        foreign++;
        RuleKey k = "ingress".equals(r.direction()) ? key(r) : null;
        if (k != null) {
          covered.putIfAbsent(k, r.id());
        }
        continue;
      }
      if (!RULE_ID.matcher(r.id()).matches()) {
        throw new WriterException(name(), "ListSecurityGroupRules answered a rule id that is not one ('"
            + Sanitize.text(r.id(), 64) + "'); not trusting the answer");
      }
      RuleKey k = key(r);
      if (k == null || ours.putIfAbsent(k, r.id()) != null) {
        strays.add(r.id());
      }
    }
    return new GroupRules(ours, strays, foreign, covered);
  }

  /** The key of one of our rules as we write them, or null for anything else. */
  private RuleKey key(VpcApi.Rule r) {
    if (!"allow".equals(r.action()) || r.priority() != 1 || !t.protocol().equals(r.protocol())) {
      return null;
    }
    IpRange cidr;
    try {
      cidr = IpRange.parse(r.remoteIpPrefix());
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!r.ethertype().equals(cidr.family() == IpRange.Family.IPV4 ? "IPv4" : "IPv6")) {
      return null;
    }
    Matcher m = PORTS.matcher(r.multiport());
    if (!m.matches()) {
      return null;
    }
    int from = Integer.parseInt(m.group(1));
    int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
    RuleKey k = new RuleKey(cidr, t.protocol(), from, to);
    return t.ports().stream().anyMatch(p -> p.from() == from && p.to() == to) ? k : null;
  }

  /** In batches; a rule the group holds already is skipped by the service (ignore_duplicate). */
  @Override
  public void authorize(String group, List<RuleKey> add) throws WriterException {
    Batches.each(add, BATCH, batch -> calls.call("BatchCreateSecurityGroupRules", () -> {
      api().create(group, batch.stream().map(this::rule).toList());
      return null;
    }), e -> false);
  }

  /** One rule at a time; a rule someone else deleted meanwhile counts as deleted. */
  @Override
  public void revoke(String group, List<String> ids) throws WriterException {
    Batches.each(ids, 1, batch -> calls.call("DeleteSecurityGroupRule", () -> {
      api().delete(batch.get(0));
      return null;
    }), e -> e.getCause() instanceof VpcApi.Refusal r && r.status() == 404);
  }

  private VpcApi.Rule rule(RuleKey k) {
    return new VpcApi.Rule("", "ingress", k.cidr().family() == IpRange.Family.IPV4 ? "IPv4" : "IPv6",
        k.protocol(), k.from() == k.to() ? String.valueOf(k.from()) : k.from() + "-" + k.to(), k.cidr().toString(),
        "allow", 1, t.marker());
  }

  private VpcApi api() throws WriterException {
    try {
      return api.get();
    } catch (RuntimeException e) {
      throw new WriterException(name(), Sanitize.text(e.getMessage()), e);
    }
  }
}

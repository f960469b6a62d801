package io.feishuipsync.writer.volcengine;

import com.fasterxml.jackson.databind.JsonNode;
import io.feishuipsync.cloud.Batches;
import io.feishuipsync.cloud.GroupWriter;
import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.cloud.RuleGroups;
import io.feishuipsync.cloud.RuleKey;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.Names;
import io.feishuipsync.writer.PortRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ingress rules in Volcano Engine VPC security groups: one accept rule of priority 1 per address and port
 * range, marked by the rule description, converged like the other security group writers ({@link RuleGroups}):
 * authorised before what is no longer listed is revoked. Volcano Engine names a rule by what it is (protocol, ports,
 * source, policy, priority), not by an id, so the writer revokes a rule by those; rules without the marker are never
 * touched.
 */
final class VolcSecurityGroupWriter implements GroupWriter<VolcSecurityGroupWriter.GroupRules> {

  private static final Logger log = LoggerFactory.getLogger(VolcSecurityGroupWriter.class);
  /** A group holds a few hundred rules at most; more than this in one answer is not to be trusted. */
  static final int MAX_RULES_READ = 10_000;

  /**
   * A group's rules: ours by key (their "id" is what names them: {@link Rule#id}), marked rules that are not ours,
   * the others' count, and the others that are exactly one of ours (the service takes no second one; they stay
   * their owners').
   */
  record GroupRules(Map<RuleKey, String> ours, List<String> strays, int foreign, Map<RuleKey, String> covered)
      implements RuleGroups.Held {}

  /** Groups, ports, protocol and marker to keep; {@code maxRules} is the rules-per-group quota. */
  record Target(String region, List<String> groupIds, List<PortRange> ports, String protocol, String marker,
      int maxRules) {}

  /** An ingress rule as the service names it; its id is these fields joined, the way to revoke it. */
  record Rule(String protocol, int portStart, int portEnd, String cidr, String policy, int priority) {

    String id() {
      return String.join("|", protocol, String.valueOf(portStart), String.valueOf(portEnd), cidr, policy,
          String.valueOf(priority));
    }

    static Rule of(String id) {
      String[] f = id.split("\\|", -1);
      return new Rule(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], f[4], Integer.parseInt(f[5]));
    }

    Map<String, String> params(String group) {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("SecurityGroupId", group);
      p.put("Protocol", protocol);
      p.put("PortStart", String.valueOf(portStart));
      p.put("PortEnd", String.valueOf(portEnd));
      p.put("CidrIp", cidr);
      p.put("Policy", policy);
      p.put("Priority", String.valueOf(priority));
      return p;
    }
  }

  private final Target t;
  private final VolcCalls calls;
  private final RuleGroups<GroupRules> groups;

  VolcSecurityGroupWriter(Target target, Lazy<VolcApi, RuntimeException> api, Sleeper sleeper) {
    this.t = target;
    this.calls = new VolcCalls(name(), sleeper, "vpc", api);
    this.groups = new RuleGroups<>(target.groupIds(), target.ports(), target.protocol(), this, log);
  }

  @Override
  public String name() {
    return "volcengine-security-group:" + String.join(",", t.groupIds());
  }

  @Override
  public Set<String> targets() {
    return Names.marked("volcengine security group", t.groupIds().stream().map(g -> g + " in " + t.region())
        .toList(), t.marker());
  }

  @Override
  public RuleGroups<GroupRules> groups() {
    return groups;
  }

  @Override
  public boolean relabels() {
    return false;
  }

  @Override
  public String stray(String group, String id) {
    return group + ": rule " + Sanitize.text(id, 200) + " carries the marker but is not one of ours";
  }

  @Override
  public void checkQuota(String group, GroupRules r, Set<RuleKey> want) throws WriterException {
    RuleGroups.checkPeak(name(), group, r, r.foreign(), want, t.maxRules());
  }

  /** Reads the group's rules; everything in the answer comes from the network and is checked. */
  @Override
  public GroupRules rules(String group) throws WriterException {
    JsonNode result = calls.call("DescribeSecurityGroupAttributes", Map.of("SecurityGroupId", group));
    JsonNode permissions = result.path("Permissions");
    if (!permissions.isArray() && !permissions.isMissingNode() && !permissions.isNull()) {
      throw new WriterException(name(), "DescribeSecurityGroupAttributes answered Permissions that are not a list");
    }
    if (permissions.size() > MAX_RULES_READ) {
      throw new WriterException(name(), "DescribeSecurityGroupAttributes answered " + permissions.size()
          + " rules for " + group + "; not trusting it");
    }
    Map<RuleKey, String> ours = new HashMap<>();
    List<String> strays = new ArrayList<>();
    Map<RuleKey, String> covered = new HashMap<>();
    int foreign = 0;
    for (JsonNode p : permissions) {
      boolean ingress = "ingress".equals(p.path("Direction").asText());
      boolean marked = t.marker().equals(p.path("Description").asText());
      Rule rule = rule(p);
      RuleKey k = ingress && rule != null ? key(rule) : null;
      if (!ingress || !marked) {
        foreign++;
        if (k != null) {
          covered.putIfAbsent(k, rule.id());
        }
        continue;
      }
      if (rule == null) {
        throw new WriterException(name(), "DescribeSecurityGroupAttributes answered a rule of ours that cannot be"
            + " named to revoke it ('" + Sanitize.text(p.toString(), 200) + "'); not trusting the answer");
      }
      if (k == null || ours.putIfAbsent(k, rule.id()) != null) {
        strays.add(rule.id());
      }
    }
    return new GroupRules(ours, strays, foreign, covered);
  }

  /** The rule an answer's permission names, or null when it is not an address rule (a group or list source). */
  private static Rule rule(JsonNode p) {
    String cidr = p.path("CidrIp").asText("");
    if (cidr.isEmpty() || !p.path("PortStart").canConvertToInt() || !p.path("PortEnd").canConvertToInt()
        || !p.path("Priority").canConvertToInt()) {
      return null;
    }
    try {
      IpRange.parse(cidr);
    } catch (IllegalArgumentException e) {
      return null;
    }
    String protocol = p.path("Protocol").asText("");
    String policy = p.path("Policy").asText("");
    if (!protocol.matches("[a-z0-9]{1,8}") || !policy.matches("[a-z]{1,8}")) {
      return null;
    }
    return new Rule(protocol, p.path("PortStart").asInt(), p.path("PortEnd").asInt(), cidr, policy,
        p.path("Priority").asInt());
  }

  /** The key of a rule as we write them, or null for anything else. */
  private RuleKey key(Rule r) {
    if (!"accept".equals(r.policy()) || r.priority() != 1 || !t.protocol().equals(r.protocol())) {
      return null;
    }
    boolean configured = t.ports().stream().anyMatch(p -> p.from() == r.portStart() && p.to() == r.portEnd());
    return configured ? new RuleKey(IpRange.parse(r.cidr()), t.protocol(), r.portStart(), r.portEnd()) : null;
  }

  /** One AuthorizeSecurityGroupIngress per rule; one someone added meanwhile counts as added. */
  @Override
  public void authorize(String group, List<RuleKey> add) throws WriterException {
    Batches.each(add, 1, batch -> {
      RuleKey k = batch.get(0);
      Map<String, String> p = new Rule(k.protocol(), k.from(), k.to(), k.cidr().toString(), "accept", 1)
          .params(group);
      p.put("Description", t.marker());
      calls.call("AuthorizeSecurityGroupIngress", p);
    }, e -> code(e).contains("Duplicate") || code(e).contains("AlreadyExist"));
  }

  /** One RevokeSecurityGroupIngress per rule, named by what it is; one someone removed meanwhile counts as done. */
  @Override
  public void revoke(String group, List<String> ids) throws WriterException {
    Batches.each(ids, 1, batch -> calls.call("RevokeSecurityGroupIngress", Rule.of(batch.get(0)).params(group)),
        e -> code(e).contains("NotFound"));
  }

  private static String code(WriterException e) {
    return e.getCause() instanceof VolcApi.Refusal r ? r.code : "";
  }
}

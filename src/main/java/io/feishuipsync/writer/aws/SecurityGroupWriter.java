package io.feishuipsync.writer.aws;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * Keeps ingress rules in security groups: one rule per address and port range, marked by the description. Converges
 * from the groups' real rules: authorises what is missing first, then revokes what is no longer listed, so the
 * allowed set never has a gap. Rules without the marker are never touched.
 */
final class SecurityGroupWriter implements GroupWriter<SecurityGroupWriter.GroupRules> {

  private static final Logger log = LoggerFactory.getLogger(SecurityGroupWriter.class);
  private static final int BATCH = 50;

  /**
   * A group's rules: ours by key (with rule id), rules with our marker that are not address rules (to remove), and
   * the count of foreign ingress rules per family.
   */
  record GroupRules(Map<RuleKey, String> ours, List<String> strays, int foreignV4, int foreignV6)
      implements RuleGroups.Held {}

  private final List<String> groupIds;
  private final String marker;
  private final int maxRules;
  private final Ec2Calls calls;
  private final RuleGroups<GroupRules> groups;
  private final Lazy<Ec2Client, RuntimeException> client;

  SecurityGroupWriter(List<String> groupIds, List<PortRange> ports, String protocol, String marker, int maxRules,
      Supplier<Ec2Client> clients, Sleeper sleeper) {
    this.groupIds = groupIds;
    this.marker = marker;
    this.maxRules = maxRules;
    this.client = new Lazy<>(clients::get);
    this.calls = new Ec2Calls(name(), sleeper);
    this.groups = new RuleGroups<>(groupIds, ports, protocol, this, log);
  }

  @Override
  public String name() {
    return "aws-security-group:" + String.join(",", groupIds);
  }

  @Override
  public Set<String> targets() {
    return Names.marked("aws security group", groupIds, marker);
  }

  @Override
  public RuleGroups<GroupRules> groups() {
    return groups;
  }

  @Override
  public String stray(String group, String id) {
    return group + ": rule " + Sanitize.text(id, 64) + " carries the marker but is not an address rule";
  }

  /** EC2 counts the ingress rules of each address family against the quota apart. */
  @Override
  public void checkQuota(String group, GroupRules r, Set<RuleKey> want) throws WriterException {
    for (IpRange.Family f : IpRange.Family.values()) {
      Set<RuleKey> peak = new HashSet<>(want);
      peak.addAll(r.ours().keySet());
      long mine = peak.stream().filter(k -> k.cidr().family() == f).count();
      int foreign = f == IpRange.Family.IPV4 ? r.foreignV4() : r.foreignV6();
      if (mine + foreign > maxRules) {
        throw new WriterException(name(), String.format(
            "%s would need %d %s ingress rules during the update (%d for Feishu, %d existing) but max_rules is %d;"
                + " nothing changed. Raise max_rules to the account's quota, or use type aws-prefix-list and"
                + " reference the list from the group", group, mine + foreign, f == IpRange.Family.IPV4 ? "IPv4" : "IPv6",
            mine, foreign, maxRules));
      }
    }
  }

  @Override
  public GroupRules rules(String group) throws WriterException {
    Ec2Client ec2 = client.get();
    List<SecurityGroupRule> all = calls.pages("DescribeSecurityGroupRules", () -> ec2
        .describeSecurityGroupRulesPaginator(b -> b.filters(Filter.builder().name("group-id").values(group).build()))
        .securityGroupRules());
    if (all.isEmpty()) {
      // An unknown group id lists no rules rather than failing; make sure it exists.
      calls.call("DescribeSecurityGroups", () -> ec2.describeSecurityGroups(b -> b.groupIds(group)));
    }
    Map<RuleKey, String> ours = new HashMap<>();
    List<String> strays = new ArrayList<>();
    int foreignV4 = 0;
    int foreignV6 = 0;
    for (SecurityGroupRule rule : all) {
      if (Boolean.TRUE.equals(rule.isEgress())) {
        continue;
      }
      if (!marker.equals(rule.description())) {
        if (rule.cidrIpv6() == null) {
          foreignV4++;
        }
        if (rule.cidrIpv4() == null) {
          foreignV6++;
        }
        continue;
      }
      String cidr = rule.cidrIpv4() != null ? rule.cidrIpv4() : rule.cidrIpv6();
      try {
        int from = rule.fromPort() == null ? -1 : rule.fromPort();
        int to = rule.toPort() == null ? -1 : rule.toPort();
        ours.put(new RuleKey(IpRange.parse(cidr), rule.ipProtocol(), from, to), rule.securityGroupRuleId());
      } catch (IllegalArgumentException | NullPointerException e) {
        // A rule with our marker that is not an address rule (e.g. a group reference): ours to remove.
        strays.add(rule.securityGroupRuleId());
      }
    }
    return new GroupRules(ours, strays, foreignV4, foreignV6);
  }

  /**
   * One address rule per call: EC2 gives every address its own rule id either way, and its emulator (moto) only
   * does so when they arrive separately; the rule count is bounded by the group quota, so the calls are few.
   */
  @Override
  public void authorize(String group, List<RuleKey> add) throws WriterException {
    Ec2Client ec2 = client.get();
    for (RuleKey k : add) {
      try {
        calls.call("AuthorizeSecurityGroupIngress",
            () -> ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(permission(k))));
      } catch (WriterException e) {
        // Someone added the same rule meanwhile: it is there, which is what was wanted.
        if (!isCode(e, "InvalidPermission.Duplicate")) {
          throw e;
        }
      }
    }
  }

  /** Revokes by rule id, in batches; a rule someone else removed meanwhile counts as removed. */
  @Override
  public void revoke(String group, List<String> ruleIds) throws WriterException {
    Ec2Client ec2 = client.get();
    Batches.each(ruleIds, BATCH, batch -> calls.call("RevokeSecurityGroupIngress",
        () -> ec2.revokeSecurityGroupIngress(b -> b.groupId(group).securityGroupRuleIds(batch))),
        SecurityGroupWriter::isNotFound);
  }

  private static boolean isNotFound(WriterException e) {
    return isCode(e, "InvalidPermission.NotFound") || isCode(e, "InvalidSecurityGroupRuleId.NotFound");
  }

  private IpPermission permission(RuleKey k) {
    IpPermission.Builder b = IpPermission.builder().ipProtocol(k.protocol()).fromPort(k.from()).toPort(k.to());
    if (k.cidr().family() == IpRange.Family.IPV4) {
      b.ipRanges(software.amazon.awssdk.services.ec2.model.IpRange.builder().cidrIp(k.cidr().toString())
          .description(marker).build());
    } else {
      b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(k.cidr().toString()).description(marker).build());
    }
    return b.build();
  }

  private static boolean isCode(WriterException e, String code) {
    return e.getCause() instanceof Ec2Exception ec2 && code.equals(Ec2Calls.code(ec2));
  }
}

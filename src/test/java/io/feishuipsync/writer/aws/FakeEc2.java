package io.feishuipsync.writer.aws;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.DescribeManagedPrefixListsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeManagedPrefixListsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupRulesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupRulesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.GetManagedPrefixListEntriesRequest;
import software.amazon.awssdk.services.ec2.model.GetManagedPrefixListEntriesResponse;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ManagedPrefixList;
import software.amazon.awssdk.services.ec2.model.ModifyManagedPrefixListRequest;
import software.amazon.awssdk.services.ec2.model.ModifyManagedPrefixListResponse;
import software.amazon.awssdk.services.ec2.model.PrefixListEntry;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * A stateful fake of the EC2 API for what moto does not enforce: the rules-per-group quota, a stale prefix list
 * {@code CurrentVersion}, throttling, and duplicate/not-found answers. Keeps groups' rules and prefix lists, fails
 * calls as scripted, and records every mutating call.
 */
final class FakeEc2 implements Ec2Client {

  /** A prefix list's state. */
  static final class PrefixList {
    final String family;
    final int maxEntries;
    long version = 1;
    final Map<String, String> entries = new LinkedHashMap<>();

    PrefixList(String family, int maxEntries) {
      this.family = family;
      this.maxEntries = maxEntries;
    }
  }

  final Map<String, List<SecurityGroupRule>> groups = new HashMap<>();
  final Map<String, PrefixList> prefixLists = new HashMap<>();
  final Map<String, Deque<String>> failures = new HashMap<>();
  final List<String> mutations = new ArrayList<>();
  int quota = 60;
  /** Runs before each ModifyManagedPrefixList: stands for another writer changing the list meanwhile. */
  Runnable beforeModify = () -> {};
  private int ids;

  void failNext(String operation, String... codes) {
    failures.computeIfAbsent(operation, k -> new ArrayDeque<>()).addAll(List.of(codes));
  }

  String addGroup(String id) {
    groups.put(id, new ArrayList<>());
    return id;
  }

  void addRule(String group, String cidr, int port, String description) {
    groups.get(group).add(SecurityGroupRule.builder().securityGroupRuleId("sgr-" + (++ids)).groupId(group)
        .isEgress(false).ipProtocol("tcp").fromPort(port).toPort(port)
        .cidrIpv4(cidr.contains(":") ? null : cidr).cidrIpv6(cidr.contains(":") ? cidr : null)
        .description(description).build());
  }

  private void maybeFail(String operation) {
    Deque<String> d = failures.get(operation);
    if (d != null && !d.isEmpty()) {
      throw error(d.pollFirst(), "scripted failure");
    }
  }

  static Ec2Exception error(String code, String message) {
    return (Ec2Exception) Ec2Exception.builder().statusCode(400).requestId("req-1")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
  }

  @Override
  public DescribeSecurityGroupRulesResponse describeSecurityGroupRules(DescribeSecurityGroupRulesRequest r) {
    maybeFail("DescribeSecurityGroupRules");
    String group = r.filters().get(0).values().get(0);
    return DescribeSecurityGroupRulesResponse.builder()
        .securityGroupRules(List.copyOf(groups.getOrDefault(group, List.of()))).build();
  }

  @Override
  public DescribeSecurityGroupsResponse describeSecurityGroups(DescribeSecurityGroupsRequest r) {
    maybeFail("DescribeSecurityGroups");
    if (!groups.containsKey(r.groupIds().get(0))) {
      throw error("InvalidGroup.NotFound", "The security group '" + r.groupIds().get(0) + "' does not exist");
    }
    return DescribeSecurityGroupsResponse.builder().build();
  }

  @Override
  public AuthorizeSecurityGroupIngressResponse authorizeSecurityGroupIngress(AuthorizeSecurityGroupIngressRequest r) {
    maybeFail("AuthorizeSecurityGroupIngress");
    List<SecurityGroupRule> rules = groups.get(r.groupId());
    for (IpPermission p : r.ipPermissions()) {
      List<String> cidrs = new ArrayList<>();
      p.ipRanges().forEach(x -> cidrs.add(x.cidrIp()));
      p.ipv6Ranges().forEach(x -> cidrs.add(x.cidrIpv6()));
      for (String c : cidrs) {
        boolean exists = rules.stream().anyMatch(x -> c.equals(x.cidrIpv4() != null ? x.cidrIpv4() : x.cidrIpv6())
            && x.fromPort().equals(p.fromPort()) && x.toPort().equals(p.toPort()));
        if (exists) {
          throw error("InvalidPermission.Duplicate", "the specified rule already exists");
        }
        if (rules.stream().filter(x -> (x.cidrIpv6() != null) == c.contains(":")).count() >= quota) {
          throw error("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been"
              + " reached.");
        }
        rules.add(SecurityGroupRule.builder().securityGroupRuleId("sgr-" + (++ids)).groupId(r.groupId())
            .isEgress(false).ipProtocol(p.ipProtocol()).fromPort(p.fromPort()).toPort(p.toPort())
            .cidrIpv4(c.contains(":") ? null : c).cidrIpv6(c.contains(":") ? c : null)
            .description(p.ipRanges().isEmpty() ? p.ipv6Ranges().get(0).description()
                : p.ipRanges().get(0).description()).build());
        mutations.add("authorize " + r.groupId() + " " + c);
      }
    }
    return AuthorizeSecurityGroupIngressResponse.builder().returnValue(true).build();
  }

  @Override
  public RevokeSecurityGroupIngressResponse revokeSecurityGroupIngress(RevokeSecurityGroupIngressRequest r) {
    maybeFail("RevokeSecurityGroupIngress");
    List<SecurityGroupRule> rules = groups.get(r.groupId());
    for (String id : r.securityGroupRuleIds()) {
      if (rules.stream().noneMatch(x -> x.securityGroupRuleId().equals(id))) {
        throw error("InvalidSecurityGroupRuleId.NotFound", "rule " + id + " does not exist");
      }
    }
    for (String id : r.securityGroupRuleIds()) {
      rules.removeIf(x -> x.securityGroupRuleId().equals(id));
      mutations.add("revoke " + r.groupId() + " " + id);
    }
    return RevokeSecurityGroupIngressResponse.builder().returnValue(true).build();
  }

  @Override
  public DescribeManagedPrefixListsResponse describeManagedPrefixLists(DescribeManagedPrefixListsRequest r) {
    maybeFail("DescribeManagedPrefixLists");
    List<ManagedPrefixList> out = new ArrayList<>();
    for (String id : r.prefixListIds()) {
      PrefixList p = prefixLists.get(id);
      if (p != null) {
        out.add(ManagedPrefixList.builder().prefixListId(id).addressFamily(p.family).maxEntries(p.maxEntries)
            .version(p.version).state("modify-complete").build());
      }
    }
    return DescribeManagedPrefixListsResponse.builder().prefixLists(out).build();
  }

  @Override
  public GetManagedPrefixListEntriesResponse getManagedPrefixListEntries(GetManagedPrefixListEntriesRequest r) {
    maybeFail("GetManagedPrefixListEntries");
    PrefixList p = prefixLists.get(r.prefixListId());
    return GetManagedPrefixListEntriesResponse.builder().entries(p.entries.entrySet().stream()
        .map(e -> PrefixListEntry.builder().cidr(e.getKey()).description(e.getValue()).build()).toList()).build();
  }

  @Override
  public ModifyManagedPrefixListResponse modifyManagedPrefixList(ModifyManagedPrefixListRequest r) {
    beforeModify.run();
    maybeFail("ModifyManagedPrefixList");
    PrefixList p = prefixLists.get(r.prefixListId());
    if (r.currentVersion() != p.version) {
      throw error("IncorrectState", "The prefix list has the version " + p.version + ", not "
          + r.currentVersion());
    }
    if (r.addEntries().size() > 100 || r.removeEntries().size() > 100) {
      throw error("InvalidParameterValue", "at most 100 entries may be added or removed per call");
    }
    if (p.entries.size() + r.addEntries().size() - r.removeEntries().size() > p.maxEntries) {
      throw error("PrefixListMaxEntriesExceeded", "too many entries");
    }
    r.addEntries().forEach(e -> p.entries.put(e.cidr(), e.description()));
    r.removeEntries().forEach(e -> p.entries.remove(e.cidr()));
    p.version++;
    mutations.add("modify " + r.prefixListId() + " +" + r.addEntries().size() + " -" + r.removeEntries().size());
    return ModifyManagedPrefixListResponse.builder().build();
  }

  @Override
  public String serviceName() {
    return "ec2";
  }

  @Override
  public void close() {}
}

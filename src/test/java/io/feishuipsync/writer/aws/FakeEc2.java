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
 * A fake of the EC2 API (this project's own, standing in for AWS; not moto), for what moto does not enforce: the
 * rules-per-group quota, a prefix list's {@code MaxEntries} after every call, a stale {@code CurrentVersion}, a list
 * still being modified, throttling of any call or of one page of a listing, and duplicate/not-found answers. Keeps
 * groups' rules and prefix lists, pages listings, fails calls as scripted, and records every mutating call.
 */
final class FakeEc2 implements Ec2Client {

  /** A prefix list's state. */
  static final class PrefixList {
    final String family;
    final int maxEntries;
    long version = 1;
    final Map<String, String> entries = new LinkedHashMap<>();
    /** The most entries the list held after any call. */
    int peak;
    /** Modifications refused for naming a version that was not the current one. */
    int conflicts;
    /** Describes left that still show the last modification in progress. */
    int settling;

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
  /** Items per page of a listing. */
  int pageSize = 1000;
  /** Describes after each prefix list modification that still show it in progress (EC2 applies it asynchronously). */
  int settleDescribes;
  /** Runs before each ModifyManagedPrefixList: stands for another writer changing the list meanwhile. */
  Runnable beforeModify = () -> {};
  /** Runs after each ModifyManagedPrefixList that succeeded: another writer acting between two of ours. */
  Runnable afterModify = () -> {};
  private int ids;

  /** Fails the next calls of {@code operation} with {@code codes}; {@code "Operation page 2"} fails only that page. */
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
    List<SecurityGroupRule> all = groups.getOrDefault(group, List.of());
    int from = page("DescribeSecurityGroupRules", r.nextToken());
    int to = Math.min(all.size(), from + pageSize);
    return DescribeSecurityGroupRulesResponse.builder().securityGroupRules(List.copyOf(all.subList(from, to)))
        .nextToken(to < all.size() ? String.valueOf(to) : null).build();
  }

  /** Where a page starts, failing it when scripted ({@code "Operation page N"}). */
  private int page(String operation, String token) {
    int from = token == null ? 0 : Integer.parseInt(token);
    maybeFail(operation + " page " + (from / pageSize + 1));
    return from;
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
        out.add(describe(id, p));
        if (p.settling > 0) {
          p.settling--;
        }
      }
    }
    return DescribeManagedPrefixListsResponse.builder().prefixLists(out).build();
  }

  /** While a modification settles EC2 shows it in progress, with the version it started from. */
  private static ManagedPrefixList describe(String id, PrefixList p) {
    return ManagedPrefixList.builder().prefixListId(id).addressFamily(p.family).maxEntries(p.maxEntries)
        .version(p.settling > 0 ? p.version - 1 : p.version)
        .state(p.settling > 0 ? "modify-in-progress" : "modify-complete").build();
  }

  @Override
  public GetManagedPrefixListEntriesResponse getManagedPrefixListEntries(GetManagedPrefixListEntriesRequest r) {
    maybeFail("GetManagedPrefixListEntries");
    PrefixList p = prefixLists.get(r.prefixListId());
    List<PrefixListEntry> all = p.entries.entrySet().stream()
        .map(e -> PrefixListEntry.builder().cidr(e.getKey()).description(e.getValue()).build()).toList();
    int from = page("GetManagedPrefixListEntries", r.nextToken());
    int to = Math.min(all.size(), from + pageSize);
    return GetManagedPrefixListEntriesResponse.builder().entries(all.subList(from, to))
        .nextToken(to < all.size() ? String.valueOf(to) : null).build();
  }

  /**
   * Applies a modification as EC2 does: refused while another one settles, for a version that is not the current
   * one, for more than 100 additions or removals, and when the list would then hold more than its max entries.
   */
  @Override
  public ModifyManagedPrefixListResponse modifyManagedPrefixList(ModifyManagedPrefixListRequest r) {
    beforeModify.run();
    maybeFail("ModifyManagedPrefixList");
    PrefixList p = prefixLists.get(r.prefixListId());
    if (p.settling > 0) {
      throw error("IncorrectState", "The prefix list is in state modify-in-progress");
    }
    if (r.currentVersion() == null || r.currentVersion() != p.version) {
      p.conflicts++;
      throw error("IncorrectState", "The prefix list has the version " + p.version + ", not "
          + r.currentVersion());
    }
    if (r.addEntries().size() > 100 || r.removeEntries().size() > 100) {
      throw error("InvalidParameterValue", "at most 100 entries may be added or removed per call");
    }
    Map<String, String> after = new LinkedHashMap<>(p.entries);
    r.addEntries().forEach(e -> after.put(e.cidr(), e.description()));
    r.removeEntries().forEach(e -> after.remove(e.cidr()));
    if (after.size() > p.maxEntries) {
      throw error("PrefixListMaxEntriesExceeded", "the prefix list would hold " + after.size()
          + " entries, more than its " + p.maxEntries);
    }
    p.entries.clear();
    p.entries.putAll(after);
    p.peak = Math.max(p.peak, after.size());
    p.version++;
    p.settling = settleDescribes;
    mutations.add("modify " + r.prefixListId() + " +" + r.addEntries().size() + " -" + r.removeEntries().size());
    ModifyManagedPrefixListResponse answer = ModifyManagedPrefixListResponse.builder()
        .prefixList(describe(r.prefixListId(), p)).build();
    afterModify.run();
    return answer;
  }

  @Override
  public String serviceName() {
    return "ec2";
  }

  @Override
  public void close() {}
}

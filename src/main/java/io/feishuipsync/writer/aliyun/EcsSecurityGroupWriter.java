package io.feishuipsync.writer.aliyun;

import com.aliyun.ecs20140526.Client;
import com.aliyun.ecs20140526.models.AuthorizeSecurityGroupRequest.AuthorizeSecurityGroupRequestPermissions;
import com.aliyun.ecs20140526.models.AuthorizeSecurityGroupRequest;
import com.aliyun.ecs20140526.models.DescribeSecurityGroupAttributeRequest;
import com.aliyun.ecs20140526.models.DescribeSecurityGroupAttributeResponseBody.DescribeSecurityGroupAttributeResponseBodyPermissionsPermission;
import com.aliyun.ecs20140526.models.DescribeSecurityGroupAttributeResponseBody;
import com.aliyun.ecs20140526.models.ModifySecurityGroupRuleRequest;
import com.aliyun.ecs20140526.models.RevokeSecurityGroupRequest;
import com.aliyun.tea.TeaException;
import io.feishuipsync.cloud.Batches;
import io.feishuipsync.cloud.GroupWriter;
import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.cloud.RuleGroups;
import io.feishuipsync.cloud.RuleKey;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.Names;
import io.feishuipsync.writer.PortRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ingress rules in Alibaba Cloud ECS security groups: one accept rule per address and port range, marked by
 * the rule description. Converges from the groups' real rules: authorises what is missing first, then revokes what
 * is no longer listed, so the allowed set never has a gap. Rules without the marker are never touched.
 */
final class EcsSecurityGroupWriter implements GroupWriter<EcsSecurityGroupWriter.GroupRules> {

  private static final Logger log = LoggerFactory.getLogger(EcsSecurityGroupWriter.class);
  /** AuthorizeSecurityGroup and RevokeSecurityGroup take at most 100 rules a call. */
  private static final int BATCH = 100;
  /** A group holds at most a few thousand rules; more pages than this is an answer not to trust. */
  private static final int MAX_PAGES = 1000;

  /**
   * A group's rules: ours by key (with rule id), marked rules that are not ours to keep, the number of all other
   * rules, and of those the ones that admit exactly what one of ours would (see {@link RuleGroups.Held#covered}).
   */
  record GroupRules(Map<RuleKey, String> ours, List<String> strays, int foreign, Map<RuleKey, String> covered)
      implements RuleGroups.Held {}

  /** Groups, ports, protocol and marker to keep; {@code maxRules} is the rules-per-group quota. */
  record Target(String region, List<String> groupIds, List<PortRange> ports, String protocol, String marker,
      int maxRules) {}

  /** Makes the ECS client on first use, so that a config check needs no credentials. */
  @FunctionalInterface
  interface Clients {
    Client get() throws Exception;
  }

  private final Target t;
  private final AliyunCalls calls;
  private final int pageSize;
  private final RuleGroups<GroupRules> groups;
  private final Lazy<Client, Exception> client;

  EcsSecurityGroupWriter(Target target, Clients clients, Sleeper sleeper, int pageSize) {
    this.t = target;
    this.client = new Lazy<>(clients::get);
    this.calls = new AliyunCalls(name(), sleeper);
    this.pageSize = pageSize;
    this.groups = new RuleGroups<>(target.groupIds(), target.ports(), target.protocol(), this, log);
  }

  @Override
  public String name() {
    return "aliyun-security-group:" + String.join(",", t.groupIds());
  }

  @Override
  public Set<String> targets() {
    return Names.marked("aliyun security group", t.groupIds().stream().map(g -> g + " in " + t.region()).toList(),
        t.marker());
  }

  @Override
  public RuleGroups<GroupRules> groups() {
    return groups;
  }

  @Override
  public String stray(String group, String id) {
    return group + ": rule " + id + " carries the marker but is not one of ours";
  }

  /** ECS counts every rule of a group, both directions and families, against one quota. */
  @Override
  public void checkQuota(String group, GroupRules r, Set<RuleKey> want) throws WriterException {
    Set<RuleKey> peakOurs = new HashSet<>(want);
    peakOurs.addAll(r.ours().keySet());
    int mine = peakOurs.size() + r.strays().size();
    if (mine + r.foreign() > t.maxRules()) {
      throw new WriterException(name(), String.format("%s would need %d rules during the update (%d for Feishu,"
          + " %d others) but max_rules is %d; nothing changed. Raise max_rules to the group's rule quota, or"
          + " protect fewer ports", group, mine + r.foreign(), mine, r.foreign(), t.maxRules()));
    }
  }

  private DescribeSecurityGroupAttributeResponseBody page(String group, String token) throws Exception {
    DescribeSecurityGroupAttributeRequest req = new DescribeSecurityGroupAttributeRequest()
        .setRegionId(t.region()).setSecurityGroupId(group).setDirection("all").setMaxResults(pageSize);
    if (token != null) {
      req.setNextToken(token);
    }
    DescribeSecurityGroupAttributeResponseBody body = client.get().describeSecurityGroupAttribute(req).getBody();
    if (body == null) {
      throw new WriterException(name(), "DescribeSecurityGroupAttribute answered without a body");
    }
    return body;
  }

  @Override
  public GroupRules rules(String group) throws WriterException {
    List<DescribeSecurityGroupAttributeResponseBodyPermissionsPermission> all =
        calls.call("DescribeSecurityGroupAttribute", () -> {
          List<DescribeSecurityGroupAttributeResponseBodyPermissionsPermission> out = new ArrayList<>();
          String token = null;
          for (int pages = 1; ; pages++) {
            DescribeSecurityGroupAttributeResponseBody body = page(group, token);
            if (body.getPermissions() != null && body.getPermissions().getPermission() != null) {
              out.addAll(body.getPermissions().getPermission());
            }
            token = body.getNextToken() == null || body.getNextToken().isEmpty() ? null : body.getNextToken();
            if (token == null) {
              return out;
            }
            if (pages >= MAX_PAGES) {
              throw new WriterException(name(), "DescribeSecurityGroupAttribute of " + group + " did not end after "
                  + MAX_PAGES + " pages");
            }
          }
        });
    return EcsRules.classify(name(), t, all);
  }

  /** In batches; someone may have added one of these meanwhile, which counts as added. */
  @Override
  public void authorize(String group, List<RuleKey> add) throws WriterException {
    Batches.each(add, BATCH, batch -> authorizeCall(group, batch), EcsSecurityGroupWriter::isDuplicate);
  }

  private void authorizeCall(String group, List<RuleKey> keys) throws WriterException {
    List<AuthorizeSecurityGroupRequestPermissions> permissions = keys.stream().map(this::permission).toList();
    calls.call("AuthorizeSecurityGroup", () -> client.get().authorizeSecurityGroup(
        new AuthorizeSecurityGroupRequest().setRegionId(t.region()).setSecurityGroupId(group)
            .setPermissions(permissions)));
  }

  /** Revokes by rule id, in batches; a rule someone else removed meanwhile counts as removed. */
  @Override
  public void revoke(String group, List<String> ruleIds) throws WriterException {
    Batches.each(ruleIds, BATCH, batch -> revokeCall(group, batch), EcsSecurityGroupWriter::isNotFound);
  }

  private void revokeCall(String group, List<String> ids) throws WriterException {
    calls.call("RevokeSecurityGroup", () -> client.get().revokeSecurityGroup(new RevokeSecurityGroupRequest()
        .setRegionId(t.region()).setSecurityGroupId(group).setSecurityGroupRuleId(List.copyOf(ids))));
  }

  /** One ModifySecurityGroupRule per rule, setting only its description to the marker. */
  @Override
  public void reclaim(String group, Map<RuleKey, String> rules) throws WriterException {
    for (String id : rules.values()) {
      calls.call("ModifySecurityGroupRule", () -> client.get().modifySecurityGroupRule(
          new ModifySecurityGroupRuleRequest().setRegionId(t.region()).setSecurityGroupId(group)
              .setSecurityGroupRuleId(id).setDescription(t.marker())));
    }
  }

  private AuthorizeSecurityGroupRequestPermissions permission(RuleKey k) {
    AuthorizeSecurityGroupRequestPermissions p = new AuthorizeSecurityGroupRequestPermissions()
        .setIpProtocol(k.protocol()).setPortRange(k.from() + "/" + k.to()).setPolicy("accept").setPriority("1")
        .setDescription(t.marker());
    return k.cidr().family() == IpRange.Family.IPV4 ? p.setSourceCidrIp(k.cidr().toString())
        : p.setIpv6SourceCidrIp(k.cidr().toString());
  }

  private static boolean isDuplicate(WriterException e) {
    return e.getCause() instanceof TeaException tea && AliyunCalls.code(tea).contains("Duplicat");
  }

  private static boolean isNotFound(WriterException e) {
    // RuleNotExist is what the service answers for a rule someone else revoked meanwhile: already done.
    return e.getCause() instanceof TeaException tea && Set.of("InvalidParam.SecurityGroupRuleId",
        "InvalidSecurityGroupRuleId.NotFound", "SecurityGroupRule.NotFound", "InvalidSecurityGroupRule.RuleNotExist")
        .contains(AliyunCalls.code(tea));
  }
}

package io.feishuipsync.writer.aliyun;

import com.aliyun.ecs20140526.Client;
import com.aliyun.ecs20140526.models.AuthorizeSecurityGroupRequest;
import com.aliyun.ecs20140526.models.AuthorizeSecurityGroupRequest.AuthorizeSecurityGroupRequestPermissions;
import com.aliyun.ecs20140526.models.DescribeSecurityGroupAttributeRequest;
import com.aliyun.ecs20140526.models.DescribeSecurityGroupAttributeResponseBody;
import com.aliyun.ecs20140526.models.DescribeSecurityGroupAttributeResponseBody.DescribeSecurityGroupAttributeResponseBodyPermissionsPermission;
import com.aliyun.ecs20140526.models.RevokeSecurityGroupRequest;
import com.aliyun.tea.TeaException;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.PortRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ingress rules in Alibaba Cloud ECS security groups: one accept rule per address and port range, marked by
 * the rule description. Converges from the groups' real rules: authorises what is missing first, then revokes what
 * is no longer listed, so the allowed set never has a gap. Rules without the marker are never touched.
 */
final class EcsSecurityGroupWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(EcsSecurityGroupWriter.class);
  /** AuthorizeSecurityGroup and RevokeSecurityGroup take at most 100 rules a call. */
  private static final int BATCH = 100;
  /** A group holds at most a few thousand rules; more pages than this is an answer not to trust. */
  private static final int MAX_PAGES = 1000;

  /** One rule this writer wants or owns. */
  record Key(IpRange cidr, String protocol, int from, int to) {}

  /** A group's rules: ours by key (with rule id), marked rules that are not ours to keep, and all other rules. */
  record GroupRules(Map<Key, String> ours, List<String> strays, int foreign) {}

  /** Groups, ports, protocol and marker to keep; {@code maxRules} is the rules-per-group quota. */
  record Target(String region, List<String> groupIds, List<PortRange> ports, String protocol, String marker,
      int maxRules) {}

  /** Makes the ECS client on first use, so that a config check needs no credentials. */
  @FunctionalInterface
  interface Clients {
    Client get() throws Exception;
  }

  private static final Comparator<Key> KEY_ORDER = Comparator.comparing(Key::cidr).thenComparingInt(Key::from)
      .thenComparingInt(Key::to);

  private final Target t;
  private final Clients clients;
  private final EcsCalls calls;
  private final int pageSize;
  private Client client;

  EcsSecurityGroupWriter(Target target, Clients clients, Sleeper sleeper, int pageSize) {
    this.t = target;
    this.clients = clients;
    this.calls = new EcsCalls(name(), sleeper);
    this.pageSize = pageSize;
  }

  @Override
  public String name() {
    return "aliyun-security-group:" + String.join(",", t.groupIds());
  }

  @Override
  public void check() throws WriterException {
    for (String g : t.groupIds()) {
      calls.call("DescribeSecurityGroupAttribute", () -> page(g, null));
    }
  }

  @Override
  public Holding read() throws WriterException {
    TreeSet<IpRange> common = null;
    List<String> drift = new ArrayList<>();
    Map<String, Set<Key>> byGroup = new HashMap<>();
    for (String g : t.groupIds()) {
      GroupRules r = rules(g);
      byGroup.put(g, r.ours().keySet());
      TreeSet<IpRange> complete = new TreeSet<>();
      for (Key k : r.ours().keySet()) {
        if (r.ours().keySet().containsAll(keys(Set.of(k.cidr())))) {
          complete.add(k.cidr());
        }
      }
      r.strays().forEach(id -> drift.add(g + ": rule " + id + " carries the marker but is not one of ours"));
      if (common == null) {
        common = complete;
      } else {
        common.retainAll(complete);
      }
    }
    for (String g : t.groupIds()) {
      if (!byGroup.get(g).equals(keys(common))) {
        drift.add(g + " holds " + byGroup.get(g).size() + " rules of ours, not the " + keys(common).size()
            + " the others agree on");
      }
    }
    return new Holding(common, drift);
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    Set<Key> want = keys(desired);
    Map<String, GroupRules> current = new HashMap<>();
    for (String g : t.groupIds()) {
      GroupRules r = rules(g);
      current.put(g, r);
      checkQuota(g, r, want);
    }
    for (String g : t.groupIds()) {
      GroupRules r = current.get(g);
      List<Key> add = want.stream().filter(k -> !r.ours().containsKey(k)).sorted(KEY_ORDER).toList();
      List<String> revoke = new ArrayList<>(r.strays());
      r.ours().forEach((k, id) -> {
        if (!want.contains(k)) {
          revoke.add(id);
        }
      });
      authorize(g, add);
      revoke(g, revoke);
      if (!add.isEmpty() || !revoke.isEmpty()) {
        log.info("{}: {} rules authorised, {} revoked", g, add.size(), revoke.size());
      }
    }
  }

  @Override
  public void teardown() throws WriterException {
    for (String g : t.groupIds()) {
      GroupRules r = rules(g);
      List<String> ids = new ArrayList<>(r.ours().values());
      ids.addAll(r.strays());
      revoke(g, ids);
    }
  }

  private Set<Key> keys(Set<IpRange> cidrs) {
    Set<Key> out = new HashSet<>();
    for (IpRange c : cidrs) {
      for (PortRange p : t.ports()) {
        out.add(new Key(c, t.protocol(), p.from(), p.to()));
      }
    }
    return out;
  }

  /** ECS counts every rule of a group, both directions and families, against one quota. */
  private void checkQuota(String group, GroupRules r, Set<Key> want) throws WriterException {
    Set<Key> peakOurs = new HashSet<>(want);
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
    DescribeSecurityGroupAttributeResponseBody body = client().describeSecurityGroupAttribute(req).getBody();
    if (body == null) {
      throw new WriterException(name(), "DescribeSecurityGroupAttribute answered without a body");
    }
    return body;
  }

  private GroupRules rules(String group) throws WriterException {
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

  private void authorize(String group, List<Key> add) throws WriterException {
    for (int i = 0; i < add.size(); i += BATCH) {
      List<Key> batch = add.subList(i, Math.min(add.size(), i + BATCH));
      try {
        authorizeCall(group, batch);
      } catch (WriterException e) {
        if (!isDuplicate(e)) {
          throw e;
        }
        // Someone added one of these meanwhile: add them one by one, counting each duplicate as done.
        for (Key k : batch) {
          try {
            authorizeCall(group, List.of(k));
          } catch (WriterException one) {
            if (!isDuplicate(one)) {
              throw one;
            }
          }
        }
      }
    }
  }

  private void authorizeCall(String group, List<Key> keys) throws WriterException {
    List<AuthorizeSecurityGroupRequestPermissions> permissions = keys.stream().map(this::permission).toList();
    calls.call("AuthorizeSecurityGroup", () -> client().authorizeSecurityGroup(new AuthorizeSecurityGroupRequest()
        .setRegionId(t.region()).setSecurityGroupId(group).setPermissions(permissions)));
  }

  /** Revokes by rule id, in batches; a rule someone else removed meanwhile counts as removed. */
  private void revoke(String group, List<String> ruleIds) throws WriterException {
    for (int i = 0; i < ruleIds.size(); i += BATCH) {
      List<String> batch = ruleIds.subList(i, Math.min(ruleIds.size(), i + BATCH));
      try {
        revokeCall(group, batch);
      } catch (WriterException e) {
        if (!isNotFound(e)) {
          throw e;
        }
        for (String id : batch) {
          try {
            revokeCall(group, List.of(id));
          } catch (WriterException one) {
            if (!isNotFound(one)) {
              throw one;
            }
          }
        }
      }
    }
  }

  private void revokeCall(String group, List<String> ids) throws WriterException {
    calls.call("RevokeSecurityGroup", () -> client().revokeSecurityGroup(new RevokeSecurityGroupRequest()
        .setRegionId(t.region()).setSecurityGroupId(group).setSecurityGroupRuleId(List.copyOf(ids))));
  }

  private AuthorizeSecurityGroupRequestPermissions permission(Key k) {
    AuthorizeSecurityGroupRequestPermissions p = new AuthorizeSecurityGroupRequestPermissions()
        .setIpProtocol(k.protocol()).setPortRange(k.from() + "/" + k.to()).setPolicy("accept").setPriority("1")
        .setDescription(t.marker());
    return k.cidr().family() == IpRange.Family.IPV4 ? p.setSourceCidrIp(k.cidr().toString())
        : p.setIpv6SourceCidrIp(k.cidr().toString());
  }

  private static boolean isDuplicate(WriterException e) {
    return e.getCause() instanceof TeaException tea && EcsCalls.code(tea).contains("Duplicat");
  }

  private static boolean isNotFound(WriterException e) {
    return e.getCause() instanceof TeaException tea && Set.of("InvalidParam.SecurityGroupRuleId",
        "InvalidSecurityGroupRuleId.NotFound", "SecurityGroupRule.NotFound").contains(EcsCalls.code(tea));
  }

  private Client client() throws Exception {
    if (client == null) {
      client = clients.get();
    }
    return client;
  }
}

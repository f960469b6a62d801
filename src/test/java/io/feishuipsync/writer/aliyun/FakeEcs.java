package io.feishuipsync.writer.aliyun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A FAKE of the Alibaba Cloud ECS OpenAPI (version 2014-05-26), served over real HTTP on loopback; no emulator of
 * ECS exists. It is not the service, but it refuses what the service would refuse of the calls the writer makes
 * (the signature and the scripted refusals: {@link AcsStandIn}):
 *
 * <ul>
 *   <li>it keeps each group's rules (both directions, with rule ids), answers DescribeSecurityGroupAttribute in
 *       pages of {@code MaxResults} (10..1000) with an opaque {@code NextToken}, and refuses unknown groups;</li>
 *   <li>AuthorizeSecurityGroup adds up to 100 rules atomically, refusing anything beyond the group's rule quota
 *       (both directions and families counted together) with nothing added; a rule the group already holds (under
 *       any description) is answered with success and not created, as the service does (found by the trust
 *       review's stand-in of the API); RevokeSecurityGroup removes rules by id atomically and refuses an unknown
 *       id; ModifySecurityGroupRule changes a rule's description by its id;</li>
 *   <li>it keeps prefix lists (family, MaxEntries, entries) and applies a ModifyPrefixList whole or refuses it
 *       (an entry added twice or removed while absent, the other family, more than MaxEntries).</li>
 * </ul>
 *
 * Every mutation is logged in order in {@link #mutations}.
 */
final class FakeEcs extends AcsStandIn {

  static final String REGION = "cn-hangzhou";

  /** One rule as ECS keeps it. */
  record Rule(String id, String direction, String protocol, String portRange, String v4, String v6,
      String description, String policy, String priority) {

    boolean sameAs(Rule o) {
      return direction.equals(o.direction) && protocol.equalsIgnoreCase(o.protocol) && portRange.equals(o.portRange)
          && String.valueOf(v4).equals(String.valueOf(o.v4)) && String.valueOf(v6).equals(String.valueOf(o.v6))
          && policy.equalsIgnoreCase(o.policy) && priority.equals(o.priority);
    }
  }

  final Map<String, List<Rule>> groups = new LinkedHashMap<>();
  final Map<String, Integer> quota = new HashMap<>();
  final Map<String, PrefixList> lists = new LinkedHashMap<>();

  FakeEcs() throws IOException {
    super("2014-05-26", "ecs." + REGION + ".aliyuncs.com");
  }

  synchronized String addGroup(String id, int ruleQuota) {
    groups.put(id, new ArrayList<>());
    quota.put(id, ruleQuota);
    return id;
  }

  /** A rule someone else made (or ours, given our marker); returns its id. */
  synchronized String addRule(String group, String direction, String cidr, String ports, String description,
      String policy) {
    String id = nextId("sgr-");
    boolean v6 = cidr.contains(":");
    groups.get(group).add(new Rule(id, direction, "TCP", ports, v6 ? null : cidr, v6 ? cidr : null, description,
        policy, "1"));
    return id;
  }

  synchronized void removeRule(String group, String cidr) {
    groups.get(group).removeIf(r -> cidr.equals(r.v4()) || cidr.equals(r.v6()));
  }

  synchronized List<Rule> rules(String group) {
    return List.copyOf(groups.get(group));
  }

  @Override
  Map<String, Object> act(String action, Map<String, String> params) {
    if (!REGION.equals(params.get("RegionId"))) {
      throw new Refusal(400, "InvalidRegionId.NotFound", "The specified RegionId does not exist.");
    }
    if (action.endsWith("PrefixList") || action.equals("DescribePrefixListAttributes")) {
      return prefixList(action, params);
    }
    List<Rule> rules = groups.get(params.get("SecurityGroupId"));
    if (rules == null) {
      throw new Refusal(404, "InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.");
    }
    return switch (action) {
      case "DescribeSecurityGroupAttribute" -> describe(params, rules);
      case "AuthorizeSecurityGroup" -> authorize(params, rules);
      case "RevokeSecurityGroup" -> revoke(params, rules);
      case "ModifySecurityGroupRule" -> modifyRule(params, rules);
      default -> throw new Refusal(404, "InvalidAction.NotFound", "Specified api is not found.");
    };
  }

  private Map<String, Object> describe(Map<String, String> params, List<Rule> rules) {
    int max = Integer.parseInt(params.getOrDefault("MaxResults", "0"));
    if (max < 10 || max > 1000) {
      throw new Refusal(400, "InvalidMaxResults.Malformed", "MaxResults must be 10..1000, this fake pages always");
    }
    String direction = params.getOrDefault("Direction", "all");
    List<Rule> listed = rules.stream().filter(r -> direction.equals("all") || r.direction().equals(direction))
        .toList();
    int from = 0;
    if (params.containsKey("NextToken")) {
      try {
        String[] t = new String(Base64.getUrlDecoder().decode(params.get("NextToken")), StandardCharsets.UTF_8)
            .split(":");
        if (!t[0].equals(params.get("SecurityGroupId"))) {
          throw new IllegalArgumentException("token of another group");
        }
        from = Integer.parseInt(t[1]);
      } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
        throw new Refusal(400, "InvalidNextToken.Malformed", "The specified NextToken is invalid.");
      }
    }
    int to = Math.min(listed.size(), from + max);
    List<Map<String, Object>> page = new ArrayList<>();
    for (Rule r : listed.subList(Math.min(from, to), to)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("SecurityGroupRuleId", r.id());
      m.put("Direction", r.direction());
      m.put("IpProtocol", r.protocol().toUpperCase(Locale.ROOT));
      m.put("PortRange", r.portRange());
      m.put("SourceCidrIp", r.v4() == null ? "" : r.v4());
      m.put("Ipv6SourceCidrIp", r.v6() == null ? "" : r.v6());
      m.put("SourceGroupId", "");
      m.put("SourcePrefixListId", "");
      m.put("Description", r.description());
      m.put("Policy", r.policy().equalsIgnoreCase("accept") ? "Accept" : "Drop");
      m.put("Priority", r.priority());
      m.put("NicType", "intranet");
      page.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("RegionId", REGION);
    out.put("SecurityGroupId", params.get("SecurityGroupId"));
    out.put("Permissions", Map.of("Permission", page));
    out.put("NextToken", to < listed.size() ? Base64.getUrlEncoder().withoutPadding()
        .encodeToString((params.get("SecurityGroupId") + ":" + to).getBytes(StandardCharsets.UTF_8)) : "");
    return out;
  }

  private Map<String, Object> authorize(Map<String, String> params, List<Rule> rules) {
    List<Rule> add = new ArrayList<>();
    int sent = 0;
    for (int i = 1; params.containsKey("Permissions." + i + ".IpProtocol"); i++) {
      String p = "Permissions." + i + ".";
      if (i > 100) {
        throw new Refusal(400, "InvalidParam.Permissions", "at most 100 permissions a call");
      }
      String v4 = params.get(p + "SourceCidrIp");
      String v6 = params.get(p + "Ipv6SourceCidrIp");
      if ((v4 == null) == (v6 == null) || !params.getOrDefault(p + "PortRange", "").matches("[0-9]+/[0-9]+")) {
        throw new Refusal(400, "MissingParameter.Source", "one source and a PortRange per permission");
      }
      Rule r = new Rule(nextId("sgr-"), "ingress", params.get(p + "IpProtocol"),
          params.get(p + "PortRange"), v4, v6, params.getOrDefault(p + "Description", ""),
          params.getOrDefault(p + "Policy", "accept"), params.getOrDefault(p + "Priority", "1"));
      if (add.stream().anyMatch(r::sameAs)) {
        throw new Refusal(400, "InvalidPermission.Duplicate", "The specified rule exists.");
      }
      if (rules.stream().anyMatch(r::sameAs)) {
        // The service answers success and creates nothing, whatever the description of the one it holds.
        mutations.add("authorize (exists) " + (r.v4() != null ? r.v4() : r.v6()) + " " + r.portRange());
        sent++;
        continue;
      }
      add.add(r);
    }
    if (add.isEmpty() && sent == 0) {
      throw new Refusal(400, "MissingParameter.Permissions", "no permissions");
    }
    if (rules.size() + add.size() > quota.get(params.get("SecurityGroupId"))) {
      throw new Refusal(403, "AuthorizationLimitExceed",
          "The limit of authorization records in the security group reaches.");
    }
    rules.addAll(add);
    add.forEach(r -> mutations.add("authorize " + (r.v4() != null ? r.v4() : r.v6()) + " " + r.portRange()));
    return new LinkedHashMap<>();
  }

  private Map<String, Object> modifyRule(Map<String, String> params, List<Rule> rules) {
    String id = params.get("SecurityGroupRuleId");
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      if (r.id().equals(id)) {
        rules.set(i, new Rule(r.id(), r.direction(), r.protocol(), r.portRange(), r.v4(), r.v6(),
            params.getOrDefault("Description", r.description()), r.policy(), r.priority()));
        mutations.add("modify " + id + " description");
        return new LinkedHashMap<>();
      }
    }
    throw new Refusal(400, "InvalidSecurityGroupRule.RuleNotExist", "The security group rule " + id
        + " does not exist.");
  }

  private Map<String, Object> revoke(Map<String, String> params, List<Rule> rules) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; params.containsKey("SecurityGroupRuleId." + i); i++) {
      ids.add(params.get("SecurityGroupRuleId." + i));
    }
    if (ids.isEmpty() || ids.size() > 100) {
      throw new Refusal(400, "InvalidParam.SecurityGroupRuleId", "1..100 rule ids a call");
    }
    for (String id : ids) {
      if (rules.stream().noneMatch(r -> r.id().equals(id))) {
        // As the service answers a rule id that is gone (found by the trust review's stand-in of the API).
        throw new Refusal(400, "InvalidSecurityGroupRule.RuleNotExist", "The security group rule " + id
            + " does not exist.");
      }
    }
    for (String id : ids) {
      Rule r = rules.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
      rules.remove(r);
      mutations.add("revoke " + (r.v4() != null ? r.v4() : r.v6()) + " " + r.portRange());
    }
    return new LinkedHashMap<>();
  }

  /** A prefix list: its family ({@code IPv4} or {@code IPv6}), its room, its entries (CIDR to description). */
  record PrefixList(String family, int maxEntries, Map<String, String> entries) {}

  synchronized String addPrefixList(String id, String family, int maxEntries) {
    lists.put(id, new PrefixList(family, maxEntries, new LinkedHashMap<>()));
    return id;
  }

  synchronized Map<String, String> entries(String list) {
    return Map.copyOf(lists.get(list).entries());
  }

  /**
   * DescribePrefixListAttributes and ModifyPrefixList: a modification is applied whole or not at all, and refused
   * when it adds an entry that is there, removes one that is not, mixes families, or leaves more than MaxEntries.
   */
  private Map<String, Object> prefixList(String action, Map<String, String> params) {
    PrefixList list = lists.get(params.get("PrefixListId"));
    if (list == null) {
      throw new Refusal(404, "InvalidPrefixListId.NotFound", "The specified prefix list was not found.");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (action.equals("DescribePrefixListAttributes")) {
      List<Map<String, Object>> entries = new ArrayList<>();
      list.entries().forEach((c, d) -> entries.add(Map.of("Cidr", c, "Description", d)));
      out.put("PrefixListId", params.get("PrefixListId"));
      out.put("AddressFamily", list.family());
      out.put("MaxEntries", list.maxEntries());
      out.put("Entries", Map.of("Entry", entries));
      return out;
    }
    if (!action.equals("ModifyPrefixList")) {
      throw new Refusal(404, "InvalidAction.NotFound", "Specified api is not found.");
    }
    Map<String, String> next = new LinkedHashMap<>(list.entries());
    List<String> log = new ArrayList<>();
    for (int i = 1; params.containsKey("RemoveEntry." + i + ".Cidr"); i++) {
      String c = params.get("RemoveEntry." + i + ".Cidr");
      if (next.remove(c) == null) {
        throw new Refusal(400, "InvalidParam.RemoveEntry.NotExist", "The entry " + c + " does not exist.");
      }
      log.add("remove " + c);
    }
    for (int i = 1; params.containsKey("AddEntry." + i + ".Cidr"); i++) {
      String c = params.get("AddEntry." + i + ".Cidr");
      if (c.contains(":") != list.family().equals("IPv6")) {
        throw new Refusal(400, "InvalidParam.AddressFamily", c + " is not of the list's family.");
      }
      if (next.put(c, params.getOrDefault("AddEntry." + i + ".Description", "")) != null) {
        throw new Refusal(400, "InvalidParam.AddEntry.Duplicate", "The entry " + c + " already exists.");
      }
      log.add("add " + c);
    }
    if (next.size() > list.maxEntries()) {
      throw new Refusal(400, "QuotaExceed.PrefixListEntries", "The number of entries exceeds MaxEntries.");
    }
    list.entries().clear();
    list.entries().putAll(next);
    mutations.add(String.join(", ", log));
    return out;
  }
}

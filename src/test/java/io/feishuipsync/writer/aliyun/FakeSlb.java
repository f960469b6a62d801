package io.feishuipsync.writer.aliyun;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A FAKE of the Alibaba Cloud SLB OpenAPI (version 2014-05-15) for CLB access control lists, served over real HTTP
 * on loopback with the signature and scripted refusals of {@link AcsStandIn}; no emulator of SLB exists. As the
 * service documents it: DescribeAccessControlListAttribute in pages (Page from 1, PageSize 1..50) with the ACL's
 * address version, TotalAclEntry and the listeners that use it (white or black); AddAccessControlListEntry and
 * RemoveAccessControlListEntry take a JSON array of at most 50 entries ({@code entry}, {@code comment}) and apply it
 * whole or refuse it (an entry there already or not there, the other address version, more than the quota).
 */
final class FakeSlb extends AclStandIn {

  static final String REGION = FakeEcs.REGION;
  private static final ObjectMapper JSON = new ObjectMapper();

  FakeSlb() throws IOException {
    super("2014-05-15", "slb.cn-hangzhou.aliyuncs.com");
  }

  @Override
  Map<String, Object> act(String action, Map<String, String> params) {
    if (!REGION.equals(params.get("RegionId"))) {
      throw new Refusal(400, "InvalidRegionId.NotFound", "The specified RegionId does not exist.");
    }
    Acl a = acl(params.get("AclId"), "AclNotExist");
    return switch (action) {
      case "DescribeAccessControlListAttribute" -> describe(params, a);
      case "AddAccessControlListEntry" -> add(params, a);
      case "RemoveAccessControlListEntry" -> remove(params, a);
      default -> throw new Refusal(404, "InvalidAction.NotFound", "Specified api is not found.");
    };
  }

  private Map<String, Object> describe(Map<String, String> params, Acl a) {
    int page = Integer.parseInt(params.getOrDefault("Page", "1"));
    int size = Integer.parseInt(params.getOrDefault("PageSize", "50"));
    if (page < 1 || size < 1 || size > 50) {
      throw new Refusal(400, "InvalidParameter", "Page from 1, PageSize 1..50");
    }
    List<Map.Entry<String, String>> all = List.copyOf(a.entries.entrySet());
    int from = Math.min(all.size(), (page - 1) * size);
    List<Map<String, Object>> got = new ArrayList<>();
    for (Map.Entry<String, String> e : all.subList(from, Math.min(all.size(), from + size))) {
      got.add(Map.of("AclEntryIP", e.getKey(), "AclEntryComment", e.getValue()));
    }
    List<Map<String, Object>> listeners = new ArrayList<>();
    for (String l : a.whitelistedBy) {
      listeners.add(Map.of("LoadBalancerId", l.replaceAll(":.*", ""), "ListenerPort",
          Integer.parseInt(l.replaceAll(".*:", "")), "AclType", "white", "Protocol", "https"));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("AclId", params.get("AclId"));
    out.put("AddressIPVersion", a.version);
    out.put("TotalAclEntry", all.size());
    out.put("AclEntrys", Map.of("AclEntry", got));
    out.put("RelatedListeners", Map.of("RelatedListener", listeners));
    return out;
  }

  private static List<Map<String, String>> entries(Map<String, String> params) {
    try {
      List<Map<String, String>> items = JSON.readValue(params.getOrDefault("AclEntrys", ""),
          new TypeReference<List<Map<String, String>>>() {});
      if (items.isEmpty() || items.size() > 50) {
        throw new Refusal(400, "InvalidParameter.AclEntrys", "1..50 entries a call");
      }
      return items;
    } catch (IOException e) {
      throw new Refusal(400, "InvalidParameter.AclEntrys", "AclEntrys is not a JSON array of entries");
    }
  }

  private Map<String, Object> add(Map<String, String> params, Acl a) {
    Map<String, String> add = new LinkedHashMap<>();
    for (Map<String, String> e : entries(params)) {
      String c = e.get("entry");
      if (c == null || a.entries.containsKey(c) || add.containsKey(c)) {
        throw new Refusal(400, "AclEntryExist", "The entry " + c + " already exists.");
      }
      if (c.contains(":") != a.version.equals("ipv6")) {
        throw new Refusal(400, "InvalidParameter.AclEntry", c + " is not of the ACL's address version.");
      }
      add.put(c, e.getOrDefault("comment", ""));
    }
    if (a.entries.size() + add.size() > a.quota) {
      throw new Refusal(400, "QuotaExceeded.AclEntry", "The number of entries in the ACL exceeds its quota.");
    }
    a.entries.putAll(add);
    add.keySet().forEach(c -> changed(params.get("AclId"), "add " + c));
    return new LinkedHashMap<>();
  }

  private Map<String, Object> remove(Map<String, String> params, Acl a) {
    List<String> remove = entries(params).stream().map(e -> e.get("entry")).toList();
    for (String c : remove) {
      if (c == null || !a.entries.containsKey(c)) {
        throw new Refusal(400, "AclEntryNotExist", "The entry " + c + " does not exist.");
      }
    }
    for (String c : remove) {
      a.entries.remove(c);
      changed(params.get("AclId"), "remove " + c);
    }
    return new LinkedHashMap<>();
  }
}

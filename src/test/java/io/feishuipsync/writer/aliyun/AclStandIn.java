package io.feishuipsync.writer.aliyun;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the FAKE ALB and SLB share: access control lists as the services keep them (an address version, an entry
 * quota, entries with descriptions, the listeners that use each), and the one thing a test of an ACL writer must
 * always know: whether a list a listener uses as its whitelist was ever empty after a change, which would have let
 * every address in (both services document it).
 */
abstract class AclStandIn extends AcsStandIn {

  /** One ACL: {@code version} is the service's own word (ALB {@code IPv4}/{@code DualStack}, SLB {@code ipv4}). */
  static final class Acl {
    final String version;
    int quota;
    final Map<String, String> entries = new LinkedHashMap<>();
    final List<String> whitelistedBy = new ArrayList<>();

    Acl(String version, int quota) {
      this.version = version;
      this.quota = quota;
    }
  }

  final Map<String, Acl> acls = new LinkedHashMap<>();
  /** Set when a change left an ACL that a listener uses as its whitelist with no entry. */
  boolean openedToAll;

  AclStandIn(String version, String host) throws IOException {
    super(version, host);
  }

  synchronized void addAcl(String id, String version, int quota) {
    acls.put(id, new Acl(version, quota));
  }

  /** An entry someone else made (or ours, given our marker). */
  synchronized void put(String acl, String cidr, String description) {
    acls.get(acl).entries.put(cidr, description);
  }

  synchronized void drop(String acl, String cidr) {
    acls.get(acl).entries.remove(cidr);
  }

  synchronized Map<String, String> entries(String acl) {
    return Map.copyOf(acls.get(acl).entries);
  }

  /** A listener, e.g. {@code lb-1:443}, uses the ACL as its whitelist. */
  synchronized void whitelist(String acl, String listener) {
    acls.get(acl).whitelistedBy.add(listener);
  }

  /** Records a change of {@code acl}, and whether it left a whitelist empty. */
  void changed(String acl, String what) {
    mutations.add(what);
    Acl a = acls.get(acl);
    if (a.entries.isEmpty() && !a.whitelistedBy.isEmpty()) {
      openedToAll = true;
    }
  }

  Acl acl(String id, String notFoundCode) {
    Acl a = acls.get(id);
    if (a == null) {
      throw new Refusal(404, notFoundCode, "The specified ACL " + id + " does not exist.");
    }
    return a;
  }

  /** The values of a repeated parameter, {@code Name.1}, {@code Name.2}, ... */
  static List<String> repeated(Map<String, String> params, String name) {
    List<String> out = new ArrayList<>();
    for (int i = 1; params.containsKey(name + "." + i); i++) {
      out.add(params.get(name + "." + i));
    }
    return out;
  }
}

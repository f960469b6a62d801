package io.feishuipsync.writer.tencent;

import com.tencentcloudapi.vpc.v20170312.models.CreateSecurityGroupPoliciesRequest;
import com.tencentcloudapi.vpc.v20170312.models.DeleteSecurityGroupPoliciesRequest;
import com.tencentcloudapi.vpc.v20170312.models.DescribeSecurityGroupLimitsRequest;
import com.tencentcloudapi.vpc.v20170312.models.DescribeSecurityGroupLimitsResponse;
import com.tencentcloudapi.vpc.v20170312.models.DescribeSecurityGroupPoliciesRequest;
import com.tencentcloudapi.vpc.v20170312.models.SecurityGroupPolicy;
import com.tencentcloudapi.vpc.v20170312.models.SecurityGroupPolicySet;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.tencent.Policies.Key;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The calls on one security group's ingress policies: read them sorted into ours and others, create, delete. */
final class GroupPolicies {

  private static final int MAX_POLICIES_READ = 10_000;

  /**
   * A group's ingress policies: its Version, ours by key (with index), our other policies, the foreign count, and
   * the keys a foreign policy already allows exactly (the API refuses a duplicate, and the address is admitted).
   */
  record Group(String version, Map<Key, Long> ours, List<Long> strays, int foreign, Set<Key> covered) {

    /** Policies the group holds while {@code want} is added and before anything is removed. */
    int peak(Set<Key> want) {
      Set<Key> all = new HashSet<>(want);
      all.removeAll(covered);
      all.addAll(ours.keySet());
      return all.size() + strays.size() + foreign;
    }

    /** What is missing of {@code want}: neither ours nor allowed by a foreign policy. */
    boolean lacks(Key k) {
      return !ours.containsKey(k) && !covered.contains(k);
    }
  }

  private final String writer;
  private final String marker;
  private final VpcCalls calls;

  GroupPolicies(String writer, String marker, VpcCalls calls) {
    this.writer = writer;
    this.marker = marker;
    this.calls = calls;
  }

  /** The account's quota of policies per security group, as DescribeSecurityGroupLimits gives it (may be null). */
  Long policyLimit() throws WriterException {
    DescribeSecurityGroupLimitsResponse r = calls.call("DescribeSecurityGroupLimits",
        vpc -> vpc.DescribeSecurityGroupLimits(new DescribeSecurityGroupLimitsRequest()));
    return r == null || r.getSecurityGroupLimitSet() == null ? null
        : r.getSecurityGroupLimitSet().getSecurityGroupPolicyLimit();
  }

  /** Reads {@code g}: its Version and its ingress policies, sorted. */
  Group read(String g) throws WriterException {
    DescribeSecurityGroupPoliciesRequest req = new DescribeSecurityGroupPoliciesRequest();
    req.setSecurityGroupId(g);
    SecurityGroupPolicySet set = calls.call("DescribeSecurityGroupPolicies",
        vpc -> vpc.DescribeSecurityGroupPolicies(req).getSecurityGroupPolicySet());
    String version = set == null ? null : set.getVersion();
    if (version == null || !version.matches("[0-9]{1,18}")) {
      throw new WriterException(writer, g + ": DescribeSecurityGroupPolicies gave no policy Version (got "
          + Sanitize.text(version, 32) + "); refusing to change a group whose version is unknown");
    }
    SecurityGroupPolicy[] ingress = set.getIngress() == null ? new SecurityGroupPolicy[0] : set.getIngress();
    if (ingress.length > MAX_POLICIES_READ) {
      throw new WriterException(writer, g + " answered with " + ingress.length + " ingress policies; refusing");
    }
    Map<Key, Long> ours = new HashMap<>();
    List<Long> strays = new ArrayList<>();
    int foreign = 0;
    Set<Key> covered = new HashSet<>();
    for (int i = 0; i < ingress.length; i++) {
      SecurityGroupPolicy p = ingress[i];
      if (p == null || !marker.equals(p.getPolicyDescription())) {
        foreign++;
        Key k = p == null ? null : Policies.key(p);
        if (k != null) {
          covered.add(k);
        }
        continue;
      }
      long index = p.getPolicyIndex() == null ? i : p.getPolicyIndex();
      if (index < 0 || index >= ingress.length) {
        throw new WriterException(writer, g + ": policy index " + index + " is outside the group's "
            + ingress.length + " policies; refusing to delete by it");
      }
      Key k = Policies.key(p);
      if (k == null || ours.putIfAbsent(k, index) != null) {
        // Ours by its marker but not a policy this writer would write, or a second copy of one: to remove.
        strays.add(index);
      }
    }
    return new Group(version, ours, strays, foreign, covered);
  }

  /** Adds {@code add} in one call naming {@code version}, in their order, above every other policy. */
  void create(String g, String version, List<Key> add) throws WriterException {
    SecurityGroupPolicySet set = new SecurityGroupPolicySet();
    set.setVersion(version);
    set.setIngress(add.stream().map(k -> Policies.policy(k, marker)).toArray(SecurityGroupPolicy[]::new));
    CreateSecurityGroupPoliciesRequest req = new CreateSecurityGroupPoliciesRequest();
    req.setSecurityGroupId(g);
    req.setSecurityGroupPolicySet(set);
    calls.call("CreateSecurityGroupPolicies", vpc -> vpc.CreateSecurityGroupPolicies(req));
  }

  /** Deletes the policies at {@code indexes} in one call naming {@code version}. */
  void delete(String g, String version, List<Long> indexes) throws WriterException {
    SecurityGroupPolicySet set = new SecurityGroupPolicySet();
    set.setVersion(version);
    set.setIngress(indexes.stream().map(i -> {
      SecurityGroupPolicy p = new SecurityGroupPolicy();
      p.setPolicyIndex(i);
      return p;
    }).toArray(SecurityGroupPolicy[]::new));
    DeleteSecurityGroupPoliciesRequest req = new DeleteSecurityGroupPoliciesRequest();
    req.setSecurityGroupId(g);
    req.setSecurityGroupPolicySet(set);
    calls.call("DeleteSecurityGroupPolicies", vpc -> vpc.DeleteSecurityGroupPolicies(req));
  }
}

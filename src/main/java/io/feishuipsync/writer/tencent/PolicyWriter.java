package io.feishuipsync.writer.tencent;

import com.tencentcloudapi.vpc.v20170312.models.CreateSecurityGroupPoliciesRequest;
import com.tencentcloudapi.vpc.v20170312.models.DeleteSecurityGroupPoliciesRequest;
import com.tencentcloudapi.vpc.v20170312.models.DescribeSecurityGroupPoliciesRequest;
import com.tencentcloudapi.vpc.v20170312.models.SecurityGroupPolicy;
import com.tencentcloudapi.vpc.v20170312.models.SecurityGroupPolicySet;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.RuleGroups;
import io.feishuipsync.writer.tencent.Policies.Key;
import io.feishuipsync.writer.Names;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ingress policies in Tencent Cloud security groups: one ACCEPT policy per address and port, marked by its
 * PolicyDescription. Each change names the policy Version it was planned from, so a group someone else changed
 * meanwhile is refused by the API; the writer then reads it again and plans again. Additions come first, then
 * removals, so the allowed set never has a gap. Policies without the marker are never touched.
 */
final class PolicyWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(PolicyWriter.class);
  static final int MAX_CONFLICTS = 5;
  /** Policies per create or delete call: the API's per-request limit is not published, 100 is the default quota. */
  static final int BATCH = 100;
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

  private static final Comparator<Key> ORDER = Comparator.comparing(Key::cidr).thenComparing(Key::port);

  private final List<String> groupIds;
  private final List<PortRange> ports;
  private final String protocol;
  private final String marker;
  private final int maxRules;
  private final VpcCalls calls;

  PolicyWriter(List<String> groupIds, List<PortRange> ports, String protocol, String marker, int maxRules,
      VpcCalls.Clients clients, Sleeper sleeper) {
    this.groupIds = groupIds;
    this.ports = ports;
    this.protocol = protocol.toUpperCase(Locale.ROOT);
    this.marker = marker;
    this.maxRules = maxRules;
    this.calls = new VpcCalls(name(), clients, sleeper);
  }

  @Override
  public String name() {
    return "tencentcloud-security-group:" + String.join(",", groupIds);
  }

  @Override
  public Set<String> targets() {
    return Names.marked("tencentcloud security group", groupIds, marker);
  }

  @Override
  public void check() throws WriterException {
    for (String g : groupIds) {
      group(g);
    }
  }

  @Override
  public Holding read() throws WriterException {
    List<String> drift = new ArrayList<>();
    Map<String, Group> byGroup = new HashMap<>();
    List<Set<Key>> admitted = new ArrayList<>();
    for (String g : groupIds) {
      Group r = group(g);
      byGroup.put(g, r);
      Set<Key> admits = new HashSet<>(r.ours().keySet());
      admits.addAll(r.covered());
      admitted.add(admits);
      if (!r.strays().isEmpty()) {
        drift.add(g + ": " + r.strays().size() + " policies carry the marker but are not address policies of ours");
      }
    }
    TreeSet<IpRange> common = RuleGroups.agreed(admitted, Key::cidr, this::keys);
    Set<Key> agreed = keys(common);
    for (String g : groupIds) {
      Group r = byGroup.get(g);
      if (!agreed.containsAll(r.ours().keySet()) || agreed.stream().anyMatch(r::lacks)) {
        drift.add(g + " holds " + r.ours().size() + " policies of ours, not just the " + agreed.size()
            + " the others agree on");
      }
    }
    return new Holding(common, drift);
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    Set<Key> want = keys(desired);
    for (String g : groupIds) {
      checkQuota(g, group(g), want);
    }
    for (String g : groupIds) {
      converge(g, want);
    }
  }

  @Override
  public void teardown() throws WriterException {
    for (String g : groupIds) {
      converge(g, Set.of());
    }
  }

  /**
   * One change per round, each planned from a fresh read and naming its Version: first the additions, then the
   * removals, at most {@link #BATCH} per call. A version conflict costs a round; more than {@link #MAX_CONFLICTS} of
   * them is an error.
   */
  private void converge(String g, Set<Key> want) throws WriterException {
    int conflicts = 0;
    int added = 0;
    int removed = 0;
    int rounds = MAX_CONFLICTS + 3 + 2 * (maxRules / BATCH);
    for (int round = 0; round < rounds; round++) {
      Group r = group(g);
      List<Key> add = want.stream().filter(r::lacks).sorted(ORDER).toList();
      List<Long> remove = new ArrayList<>(r.strays());
      r.ours().forEach((k, index) -> {
        if (!want.contains(k)) {
          remove.add(index);
        }
      });
      if (add.isEmpty() && remove.isEmpty()) {
        if (added + removed > 0) {
          log.info("{}: {} policies added, {} removed", g, added, removed);
        }
        return;
      }
      try {
        if (!add.isEmpty()) {
          // Someone may have added policies since the first check; the quota still holds for this change.
          checkQuota(g, r, want);
          List<Key> batch = add.subList(0, Math.min(BATCH, add.size()));
          create(g, r.version(), batch);
          added += batch.size();
        } else {
          List<Long> batch = remove.stream().sorted().limit(BATCH).toList();
          delete(g, r.version(), batch);
          removed += batch.size();
        }
      } catch (WriterException e) {
        if (!Policies.isConflict(e) || ++conflicts >= MAX_CONFLICTS) {
          throw e;
        }
        log.info("{}: the group changed while being updated ({}); reading it again", g, e.getMessage());
      }
    }
    throw new WriterException(name(), g + " still differs after " + rounds + " rounds of changes;"
        + " something else keeps changing it");
  }

  private Set<Key> keys(Set<IpRange> cidrs) {
    Set<Key> out = new HashSet<>();
    for (IpRange c : cidrs) {
      for (PortRange p : ports) {
        out.add(new Key(c, protocol, p.toString()));
      }
    }
    return out;
  }

  private void checkQuota(String g, Group r, Set<Key> want) throws WriterException {
    int peak = r.peak(want);
    if (peak > maxRules) {
      throw new WriterException(name(), String.format("%s would need %d ingress policies during the update (%d for"
          + " Feishu, %d others) but max_rules is %d; nothing changed. Raise max_rules to the group's quota, or use"
          + " mode address_template and reference the template from one policy", g, peak, peak - r.foreign(),
          r.foreign(), maxRules));
    }
  }

  private Group group(String g) throws WriterException {
    DescribeSecurityGroupPoliciesRequest req = new DescribeSecurityGroupPoliciesRequest();
    req.setSecurityGroupId(g);
    SecurityGroupPolicySet set = calls.call("DescribeSecurityGroupPolicies",
        vpc -> vpc.DescribeSecurityGroupPolicies(req).getSecurityGroupPolicySet());
    String version = set == null ? null : set.getVersion();
    if (version == null || !version.matches("[0-9]{1,18}")) {
      throw new WriterException(name(), g + ": DescribeSecurityGroupPolicies gave no policy Version (got "
          + Sanitize.text(version, 32) + "); refusing to change a group whose version is unknown");
    }
    SecurityGroupPolicy[] ingress = set.getIngress() == null ? new SecurityGroupPolicy[0] : set.getIngress();
    if (ingress.length > MAX_POLICIES_READ) {
      throw new WriterException(name(), g + " answered with " + ingress.length + " ingress policies; refusing");
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
        throw new WriterException(name(), g + ": policy index " + index + " is outside the group's "
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
  private void create(String g, String version, List<Key> add) throws WriterException {
    SecurityGroupPolicySet set = new SecurityGroupPolicySet();
    set.setVersion(version);
    set.setIngress(add.stream().map(k -> Policies.policy(k, marker)).toArray(SecurityGroupPolicy[]::new));
    CreateSecurityGroupPoliciesRequest req = new CreateSecurityGroupPoliciesRequest();
    req.setSecurityGroupId(g);
    req.setSecurityGroupPolicySet(set);
    calls.call("CreateSecurityGroupPolicies", vpc -> vpc.CreateSecurityGroupPolicies(req));
  }

  private void delete(String g, String version, List<Long> indexes) throws WriterException {
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

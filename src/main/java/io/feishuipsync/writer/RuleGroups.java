package io.feishuipsync.writer;

import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.WriterException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Keeps marked address rules in security groups, the same in every cloud that gives each rule an id: reads every
 * group's rules, checks the quota of each at the peak of the change before changing any, then per group adds what
 * is missing before it revokes what is no longer listed and the marked strays, so the allowed set never has a gap.
 * The cloud reads, authorises and revokes, and says what its quota counts.
 *
 * @param <G> a group's rules as the cloud reads them
 */
public final class RuleGroups<G extends RuleGroups.Held> {

  /** A group's rules of ours by key (with the id to revoke them by), and marked rules that are not ours to keep. */
  public interface Held {
    Map<RuleKey, String> ours();

    List<String> strays();
  }

  /** What a cloud does to one group. */
  public interface Cloud<G> {

    /** Reads the group's rules. */
    G rules(String group) throws WriterException;

    /** Throws when the group would exceed its quota while it holds {@code want} and what it holds now. */
    void checkQuota(String group, G rules, Set<RuleKey> want) throws WriterException;

    /** Adds {@code add}, in their order; a rule someone added meanwhile counts as added. */
    void authorize(String group, List<RuleKey> add) throws WriterException;

    /** Revokes the rules of {@code ids}; a rule someone removed meanwhile counts as removed. */
    void revoke(String group, List<String> ids) throws WriterException;

    /** The drift line for stray {@code id} of {@code group}. */
    String stray(String group, String id);
  }

  private final List<String> groupIds;
  private final List<PortRange> ports;
  private final String protocol;
  private final Cloud<G> cloud;
  private final Logger log;

  /** The groups, their protected ports and protocol; {@code log} is the writer's. */
  public RuleGroups(List<String> groupIds, List<PortRange> ports, String protocol, Cloud<G> cloud, Logger log) {
    this.groupIds = groupIds;
    this.ports = ports;
    this.protocol = protocol;
    this.cloud = cloud;
    this.log = log;
  }

  /** Reads every group; fails when one cannot be read. */
  public void check() throws WriterException {
    for (String g : groupIds) {
      cloud.rules(g);
    }
  }

  /**
   * The addresses every group admits on every port, and as drift each group that holds other rules of ours than
   * those, and each stray.
   */
  public Holding read() throws WriterException {
    List<String> drift = new ArrayList<>();
    Map<String, Set<RuleKey>> byGroup = new HashMap<>();
    for (String g : groupIds) {
      G r = cloud.rules(g);
      byGroup.put(g, r.ours().keySet());
      r.strays().forEach(id -> drift.add(cloud.stray(g, id)));
    }
    TreeSet<IpRange> common = agreed(groupIds.stream().map(byGroup::get).toList(), RuleKey::cidr, this::keys);
    for (String g : groupIds) {
      if (!byGroup.get(g).equals(keys(common))) {
        drift.add(g + " holds " + byGroup.get(g).size() + " rules of ours, not the " + keys(common).size()
            + " the others agree on");
      }
    }
    return new Holding(common, drift);
  }

  /**
   * The addresses every group admits on every port: of each group's {@code admitted} rules, those addresses all of
   * whose {@code keys} it admits, common to all groups.
   *
   * @param <K> a rule as the cloud keys it
   */
  public static <K> TreeSet<IpRange> agreed(List<Set<K>> admitted, Function<K, IpRange> cidr,
      Function<Set<IpRange>, Set<K>> keys) {
    TreeSet<IpRange> common = null;
    for (Set<K> group : admitted) {
      TreeSet<IpRange> complete = new TreeSet<>();
      for (K k : group) {
        if (group.containsAll(keys.apply(Set.of(cidr.apply(k))))) {
          complete.add(cidr.apply(k));
        }
      }
      if (common == null) {
        common = complete;
      } else {
        common.retainAll(complete);
      }
    }
    return common == null ? new TreeSet<>() : common;
  }

  /** Makes every group hold exactly the rules of {@code desired}; nothing changes when a quota would not hold. */
  public void apply(SortedSet<IpRange> desired) throws WriterException {
    Set<RuleKey> want = keys(desired);
    Map<String, G> current = new HashMap<>();
    for (String g : groupIds) {
      G r = cloud.rules(g);
      current.put(g, r);
      cloud.checkQuota(g, r, want);
    }
    for (String g : groupIds) {
      G r = current.get(g);
      List<RuleKey> add = want.stream().filter(k -> !r.ours().containsKey(k)).sorted(RuleKey.ORDER).toList();
      List<String> revoke = new ArrayList<>(r.strays());
      r.ours().forEach((k, id) -> {
        if (!want.contains(k)) {
          revoke.add(id);
        }
      });
      cloud.authorize(g, add);
      cloud.revoke(g, revoke);
      if (!add.isEmpty() || !revoke.isEmpty()) {
        log.info("{}: {} rules authorised, {} revoked", g, add.size(), revoke.size());
      }
    }
  }

  /** Revokes every marked rule of every group. */
  public void teardown() throws WriterException {
    for (String g : groupIds) {
      G r = cloud.rules(g);
      List<String> ids = new ArrayList<>(r.ours().values());
      ids.addAll(r.strays());
      cloud.revoke(g, ids);
    }
  }

  private Set<RuleKey> keys(Set<IpRange> cidrs) {
    return RuleKey.keys(cidrs, protocol, ports);
  }
}

package io.feishuipsync.cloud;

import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.PortRange;
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

    /**
     * Rules without the marker that are exactly what a rule of ours would be (by key, with their ids), most often one
     * of ours whose description someone changed. The cloud takes no second copy (ECS answers success and creates
     * nothing), so sending ours again would change nothing on every run; such a rule of a listed address is
     * {@linkplain Cloud#reclaim reclaimed} instead. Empty for a cloud that refuses the copy.
     */
    default Map<RuleKey, String> covered() {
      return Map.of();
    }
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

    /** Gives the {@link Held#covered} rules of {@code rules} (key to id) the marker, making them ours again. */
    default void reclaim(String group, Map<RuleKey, String> rules) throws WriterException {
      if (!rules.isEmpty()) {
        throw new IllegalStateException("a cloud that reports covered rules reclaims them");
      }
    }

    /** The drift line for stray {@code id} of {@code group}. */
    String stray(String group, String id);

    /**
     * Whether the cloud can give a rule the marker ({@link #reclaim}). A cloud that cannot leaves each
     * {@link Held#covered} rule of a listed address to its owner: the address counts as admitted, and no copy of
     * ours is sent (see {@link RuleGroups#listed}).
     */
    default boolean relabels() {
      return true;
    }
  }

  private final List<String> groupIds;
  private final List<PortRange> ports;
  private final String protocol;
  private final Cloud<G> cloud;
  private final Logger log;
  private final Readings<G> readings;
  /** For a cloud that does not relabel: the list the last apply was given, else the last sync's list. */
  private volatile SortedSet<IpRange> lastDesired;
  private java.util.function.Supplier<SortedSet<IpRange>> lastApplied = TreeSet::new;

  /** The groups, their protected ports and protocol; {@code log} is the writer's. */
  public RuleGroups(List<String> groupIds, List<PortRange> ports, String protocol, Cloud<G> cloud, Logger log) {
    this.groupIds = groupIds;
    this.ports = ports;
    this.protocol = protocol;
    this.cloud = cloud;
    this.log = log;
    this.readings = new Readings<>(cloud::rules);
  }

  /**
   * Where a cloud that cannot relabel a rule learns which addresses are listed before its first apply: the last
   * sync's list. A rule of someone else's identical to one of ours counts as admitting its address only while the
   * address is listed, so an operator's own identical rule of an address that is not listed is neither counted nor
   * touched.
   */
  public RuleGroups<G> listed(java.util.function.Supplier<SortedSet<IpRange>> lastApplied) {
    this.lastApplied = lastApplied;
    return this;
  }

  private SortedSet<IpRange> listed() {
    SortedSet<IpRange> d = lastDesired;
    return d != null ? d : lastApplied.get();
  }

  /** Reads every group, keeping the readings for this run's read and apply; fails when one cannot be read. */
  public void check() throws WriterException {
    for (String g : groupIds) {
      readings.fresh(g);
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
      G r = readings.reuse(g);
      Set<RuleKey> admitted = new java.util.HashSet<>(r.ours().keySet());
      if (!cloud.relabels()) {
        SortedSet<IpRange> listed = listed();
        r.covered().keySet().stream().filter(k -> listed.contains(k.cidr())).forEach(admitted::add);
      }
      byGroup.put(g, admitted);
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

  /**
   * Makes every group hold exactly the rules of {@code desired}, from this run's readings; nothing changes when a
   * quota would not hold. A group that refuses an addition part way (its real quota is below {@code max_rules}, or
   * someone filled it meanwhile) gets back what this run added to it, so it holds the old list, not half of a change.
   */
  public void apply(SortedSet<IpRange> desired) throws WriterException {
    lastDesired = new TreeSet<>(desired);
    Set<RuleKey> want = keys(desired);
    Map<String, G> current = new HashMap<>();
    try {
      for (String g : groupIds) {
        G r = readings.reuse(g);
        current.put(g, r);
        cloud.checkQuota(g, r, want);
      }
      for (String g : groupIds) {
        converge(g, current.get(g), want);
      }
    } finally {
      readings.forget();
    }
  }

  private void converge(String g, G r, Set<RuleKey> want) throws WriterException {
    List<RuleKey> add = new ArrayList<>();
    Map<RuleKey, String> reclaim = new java.util.LinkedHashMap<>();
    for (RuleKey k : want.stream().filter(k -> !r.ours().containsKey(k)).sorted(RuleKey.ORDER).toList()) {
      if (r.covered().containsKey(k)) {
        if (cloud.relabels()) {
          reclaim.put(k, r.covered().get(k));
        }
      } else {
        add.add(k);
      }
    }
    List<String> revoke = new ArrayList<>(r.strays());
    r.ours().forEach((k, id) -> {
      if (!want.contains(k)) {
        revoke.add(id);
      }
    });
    if (!reclaim.isEmpty()) {
      // Said once: from the next reading on they are ours.
      cloud.reclaim(g, reclaim);
      log.warn("{}: {} rules were what ours would be under another description (changed by hand?); they carry the"
          + " marker again instead of being sent again on every run: {}", g, reclaim.size(), reclaim.values());
    }
    try {
      cloud.authorize(g, add);
    } catch (WriterException e) {
      throw rolledBack(g, r, add, e);
    }
    cloud.revoke(g, revoke);
    if (!add.isEmpty() || !revoke.isEmpty()) {
      log.info("{}: {} rules authorised, {} revoked", g, add.size(), revoke.size());
    }
  }

  /** Revokes the rules of {@code added} that {@code g} holds now and did not hold in {@code before}. */
  private WriterException rolledBack(String g, G before, List<RuleKey> added, WriterException e) {
    List<String> ids = new ArrayList<>();
    try {
      G now = cloud.rules(g);
      for (RuleKey k : added) {
        String id = now.ours().get(k);
        if (id != null && !before.ours().containsKey(k)) {
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        return e;
      }
      cloud.revoke(g, ids);
    } catch (WriterException again) {
      return new WriterException(e.writer(), e.detail() + "; the rules this run had added to " + g
          + " could not be taken back (" + again.detail() + "): it holds part of the new list until the next run",
          e.getCause());
    }
    log.warn("{}: {} rules this run had added were revoked again after the refusal", g, ids.size());
    return new WriterException(e.writer(), e.detail() + "; the " + ids.size() + " rules this run had added to " + g
        + " were revoked again, it holds the list it held before", e.getCause());
  }

  /**
   * The quota check of a cloud that counts every rule of a group against one quota and leaves covered rules to their
   * owners: at the peak of the change the group holds the others' {@code foreign} rules, the strays, and the union
   * of the rules of ours it holds and those of {@code want} that no covered rule admits already. Throws, naming the
   * numbers, when that exceeds {@code maxRules}.
   */
  public static void checkPeak(String writer, String group, Held r, int foreign, Set<RuleKey> want, int maxRules)
      throws WriterException {
    Set<RuleKey> peakOurs = new java.util.HashSet<>(want);
    peakOurs.removeAll(r.covered().keySet());
    peakOurs.addAll(r.ours().keySet());
    int mine = peakOurs.size() + r.strays().size();
    if (mine + foreign > maxRules) {
      throw new WriterException(writer, String.format("%s would need %d rules during the update (%d of this"
          + " writer, %d others) but max_rules is %d; nothing changed. Raise max_rules to the group's rule quota,"
          + " or protect fewer ports", group, mine + foreign, mine, foreign, maxRules));
    }
  }

  /** Revokes every marked rule of every group. */
  public void teardown() throws WriterException {
    readings.forget();
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

package io.feishuipsync.writer.tencent;

import io.feishuipsync.cloud.Readings;
import io.feishuipsync.cloud.RuleGroups;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.Names;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.tencent.GroupPolicies.Group;
import io.feishuipsync.writer.tencent.Policies.Key;
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

  private static final Comparator<Key> ORDER = Comparator.comparing(Key::cidr).thenComparing(Key::port);

  private final List<String> groupIds;
  private final List<PortRange> ports;
  private final String protocol;
  private final String marker;
  private final int maxRules;
  /** Policies a group may hold in this run: max_rules, or the account's real quota when that is lower. */
  private volatile int limit;
  /** What was last said about the account's quota, so a run repeats nothing. */
  private volatile String saidOfQuota;
  private final GroupPolicies calls;
  private final Readings<Group> readings;

  PolicyWriter(List<String> groupIds, List<PortRange> ports, String protocol, String marker, int maxRules,
      VpcCalls.Clients clients, Sleeper sleeper) {
    this.groupIds = groupIds;
    this.ports = ports;
    this.protocol = protocol.toUpperCase(Locale.ROOT);
    this.marker = marker;
    this.maxRules = maxRules;
    this.limit = maxRules;
    this.calls = new GroupPolicies(name(), marker, new VpcCalls(name(), clients, sleeper));
    this.readings = new Readings<>(calls::read);
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
      readings.fresh(g);
    }
  }

  @Override
  public Holding read() throws WriterException {
    List<String> drift = new ArrayList<>();
    Map<String, Group> byGroup = new HashMap<>();
    List<Set<Key>> admitted = new ArrayList<>();
    for (String g : groupIds) {
      Group r = readings.reuse(g);
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
    try {
      limit = limit();
      for (String g : groupIds) {
        checkQuota(g, readings.reuse(g), want);
      }
      for (String g : groupIds) {
        converge(g, want);
      }
    } finally {
      readings.forget();
    }
  }

  @Override
  public void teardown() throws WriterException {
    readings.forget();
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
    Set<Key> before = null;
    List<Key> addedNow = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      // The first round plans from this run's reading; each later one from a fresh read, for the new Version.
      Group r = round == 0 ? readings.reuse(g) : calls.read(g);
      before = before == null ? Set.copyOf(r.ours().keySet()) : before;
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
          try {
            calls.create(g, r.version(), batch);
          } catch (WriterException e) {
            if (Policies.isConflict(e)) {
              throw e;
            }
            throw rolledBack(g, before, addedNow, e);
          }
          addedNow.addAll(batch);
          added += batch.size();
        } else {
          List<Long> batch = remove.stream().sorted().limit(BATCH).toList();
          calls.delete(g, r.version(), batch);
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

  /**
   * After a refused addition: deletes the policies of {@code addedNow} that {@code g} did not hold {@code before}
   * (its real quota was below max_rules, or someone filled it meanwhile), so it holds the old list, not half of a
   * change. A version conflict while doing so is retried like any change.
   */
  private WriterException rolledBack(String g, Set<Key> before, List<Key> addedNow, WriterException e) {
    if (addedNow.isEmpty()) {
      return e;
    }
    String why = e.detail();
    try {
      for (int attempt = 1; ; attempt++) {
        Group now = calls.read(g);
        List<Long> indexes = addedNow.stream().filter(k -> !before.contains(k)).map(now.ours()::get)
            .filter(java.util.Objects::nonNull).sorted().toList();
        if (indexes.isEmpty()) {
          break;
        }
        try {
          calls.delete(g, now.version(), indexes);
          log.warn("{}: {} policies this run had added were deleted again after the refusal", g, indexes.size());
          break;
        } catch (WriterException conflict) {
          if (!Policies.isConflict(conflict) || attempt >= MAX_CONFLICTS) {
            throw conflict;
          }
        }
      }
    } catch (WriterException again) {
      return new WriterException(name(), why + "; the policies this run had added to " + g + " could not be taken"
          + " back (" + again.detail() + "): it holds part of the new list until"
          + " the next run", e.getCause());
    }
    return new WriterException(name(), why + "; the " + addedNow.size() + " policies this run had added to " + g
        + " were deleted again, it holds the list it held before", e.getCause());
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

  /**
   * max_rules, or the account's quota of policies per group when DescribeSecurityGroupLimits says it is lower: a
   * change beyond the real quota is refused before it starts, not half way. When the quota cannot be read (a CAM
   * policy without the action) max_rules counts, and a refusal part way is taken back.
   */
  private int limit() {
    String said;
    int out = maxRules;
    try {
      Long real = calls.policyLimit();
      if (real == null || real < 1 || real > 100_000) {
        said = "DescribeSecurityGroupLimits gave no usable policy limit (" + real + "); max_rules " + maxRules
            + " counts";
      } else {
        out = (int) Math.min(maxRules, real);
        said = real < maxRules ? "the account allows " + real + " policies per group, fewer than max_rules "
            + maxRules + "; the lower one counts" : null;
      }
    } catch (WriterException e) {
      said = "cannot read the account's quota (" + e.detail() + "); max_rules "
          + maxRules + " counts";
    }
    if (said != null && !said.equals(saidOfQuota)) {
      log.warn("{}: {}", name(), said);
    }
    saidOfQuota = said;
    return out;
  }

  private void checkQuota(String g, Group r, Set<Key> want) throws WriterException {
    int peak = r.peak(want);
    int max = limit;
    if (peak > max) {
      String allowed = max < maxRules ? "the account allows " + max + " (DescribeSecurityGroupLimits)"
          : "max_rules is " + max;
      throw new WriterException(name(), String.format("%s would need %d ingress policies during the update (%d for"
          + " Feishu, %d others) but %s; nothing changed. Raise max_rules to the group's quota, or use"
          + " mode address_template and reference the template from one policy", g, peak, peak - r.foreign(),
          r.foreign(), allowed));
    }
  }
}

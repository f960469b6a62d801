package io.feishuipsync.writer.huaweicloud;

import io.feishuipsync.cloud.CloudCalls;
import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.cloud.PrefixLists;
import io.feishuipsync.cloud.Readings;
import io.feishuipsync.cloud.huaweicloud.VpcApi;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a Huawei Cloud VPC address group holding exactly the list's addresses of its IP version, for the operator's
 * security group rules (in any number of groups) to reference; the writer owns all of its entries. Every change is
 * one UpdateAddressGroup call with the whole set, which the service applies whole, so the group never has a gap.
 */
final class HuaweiAddressGroupWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(HuaweiAddressGroupWriter.class);

  /** The group as read: its family, its room, its entries. */
  record Listing(IpRange.Family family, int maxCapacity, TreeSet<IpRange> entries) {}

  private final String region;
  private final String id;
  private final CloudCalls<VpcApi.Refusal> calls;
  private final Lazy<VpcApi, RuntimeException> api;
  private final Readings<Listing> readings = new Readings<>(g -> describe());
  private volatile IpRange.Family family;

  HuaweiAddressGroupWriter(String region, String id, HuaweiSecurityGroupWriter.Apis apis, Sleeper sleeper) {
    this.region = region;
    this.id = id;
    this.api = new Lazy<>(apis::get);
    this.calls = VpcCalls.of(name(), sleeper);
  }

  @Override
  public String name() {
    return "huaweicloud-address-group:" + id;
  }

  @Override
  public Set<String> targets() {
    return Set.of("huaweicloud address group " + id + " in " + region);
  }

  @Override
  public SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    return PrefixLists.scope(desired, family);
  }

  @Override
  public void check() throws WriterException {
    readings.fresh(id);
  }

  @Override
  public Holding read() throws WriterException {
    return Holding.of(readings.reuse(id).entries());
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    readings.forget();
    Listing group = describe();
    SortedSet<IpRange> want = scope(desired);
    if (want.size() > group.maxCapacity()) {
      throw new WriterException(name(), "the address group has room for " + group.maxCapacity() + " entries but "
          + want.size() + " are needed; nothing changed. Raise its max_capacity (UpdateAddressGroup)");
    }
    if (want.equals(group.entries())) {
      return;
    }
    update(want.stream().map(IpRange::toString).toList());
    log.info("{}: now holds {} entries", name(), want.size());
  }

  @Override
  public void teardown() throws WriterException {
    update(List.of());
  }

  private void update(List<String> ipSet) throws WriterException {
    calls.call("UpdateAddressGroup", () -> {
      api().setAddresses(id, ipSet);
      return null;
    });
  }

  /** Reads the group; its version, room and entries come from the network and are checked. */
  private Listing describe() throws WriterException {
    VpcApi.AddressGroup g = calls.call("ShowAddressGroup", () -> api().addressGroup(id));
    IpRange.Family f = g.ipVersion() == 4 ? IpRange.Family.IPV4 : g.ipVersion() == 6 ? IpRange.Family.IPV6 : null;
    if (f == null || g.maxCapacity() < 1 || g.maxCapacity() > 20_000) {
      throw new WriterException(name(), "ShowAddressGroup answered IP version " + g.ipVersion() + " and max capacity "
          + g.maxCapacity() + ", which is not an address group this writer can keep");
    }
    TreeSet<IpRange> entries = new TreeSet<>();
    for (String e : g.ipSet()) {
      try {
        entries.add(IpRange.parse(e));
      } catch (IllegalArgumentException bad) {
        throw new WriterException(name(), "the address group holds an entry that is not an address block ('"
            + Sanitize.text(e, 64) + "'; a range?): " + bad.getMessage() + ". This writer owns the whole group:"
            + " give it a group of its own");
      }
    }
    family = f;
    return new Listing(f, g.maxCapacity(), entries);
  }

  private VpcApi api() throws WriterException {
    try {
      return api.get();
    } catch (RuntimeException e) {
      throw new WriterException(name(), Sanitize.text(e.getMessage()), e);
    }
  }
}

package io.feishuipsync.writer.aliyun;

import com.aliyun.ecs20140526.Client;
import com.aliyun.ecs20140526.models.DescribePrefixListAttributesRequest;
import com.aliyun.ecs20140526.models.DescribePrefixListAttributesResponseBody.DescribePrefixListAttributesResponseBodyEntriesEntry;
import com.aliyun.ecs20140526.models.DescribePrefixListAttributesResponseBody;
import com.aliyun.ecs20140526.models.ModifyPrefixListRequest.ModifyPrefixListRequestAddEntry;
import com.aliyun.ecs20140526.models.ModifyPrefixListRequest.ModifyPrefixListRequestRemoveEntry;
import com.aliyun.ecs20140526.models.ModifyPrefixListRequest;
import com.aliyun.tea.TeaException;
import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.cloud.PrefixLists;
import io.feishuipsync.cloud.Readings;
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
 * Keeps an ECS prefix list holding exactly the list's addresses of its family, all of whose entries it owns. Every
 * change is one ModifyPrefixList call, which the service applies whole, so the list never has a gap. A change by
 * someone else between the read and the call (an entry already there, or already gone) makes the writer read again.
 */
final class EcsPrefixListWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(EcsPrefixListWriter.class);
  /** ModifyPrefixList takes at most 200 additions and 200 removals, and a list holds at most 200 entries. */
  static final int MAX_PER_CALL = 200;
  static final int MAX_CONFLICTS = 3;

  /** The list as read: its family, its room, its entries. */
  record Listing(IpRange.Family family, int maxEntries, TreeSet<IpRange> entries) {}

  private final String region;
  private final String id;
  private final String description;
  private final AliyunCalls calls;
  private final Lazy<Client, Exception> client;
  private final Readings<Listing> readings = new Readings<>(list -> describe());
  private IpRange.Family family;

  EcsPrefixListWriter(String region, String id, String description, EcsSecurityGroupWriter.Clients clients,
      Sleeper sleeper) {
    this.region = region;
    this.id = id;
    this.description = description;
    this.client = new Lazy<>(clients::get);
    this.calls = new AliyunCalls(name(), sleeper);
  }

  @Override
  public String name() {
    return "aliyun-prefix-list:" + id;
  }

  @Override
  public Set<String> targets() {
    return Set.of("aliyun prefix list " + id + " in " + region);
  }

  @Override
  public SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    return PrefixLists.scope(desired, family);
  }

  @Override
  public void check() throws WriterException {
    readings.fresh(id);
  }

  /** From the check's reading (one describe a run); a change describes again, for the entries it modifies. */
  @Override
  public Holding read() throws WriterException {
    return Holding.of(readings.reuse(id).entries());
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    readings.forget();
    PrefixLists.update(name(), MAX_CONFLICTS, EcsPrefixListWriter::isConflict, () -> {
      Listing list = describe();
      SortedSet<IpRange> want = scope(desired);
      if (want.size() > list.maxEntries()) {
        throw new WriterException(name(), "the list has room for " + list.maxEntries() + " entries but "
            + want.size() + " are needed; nothing changed. Raise its MaxEntries (ModifyPrefixList) and the rule"
            + " quota of the groups that reference it");
      }
      List<IpRange> add = want.stream().filter(r -> !list.entries().contains(r)).toList();
      List<IpRange> remove = list.entries().stream().filter(r -> !want.contains(r)).toList();
      if (add.size() > MAX_PER_CALL || remove.size() > MAX_PER_CALL) {
        throw new WriterException(name(), "a change of " + add.size() + " additions and " + remove.size()
            + " removals does not fit one ModifyPrefixList call; nothing changed");
      }
      modify(add, remove);
    }, log);
  }

  @Override
  public void teardown() throws WriterException {
    modify(List.of(), List.copyOf(describe().entries()));
  }

  private void modify(List<IpRange> add, List<IpRange> remove) throws WriterException {
    if (add.isEmpty() && remove.isEmpty()) {
      return;
    }
    ModifyPrefixListRequest req = new ModifyPrefixListRequest().setRegionId(region).setPrefixListId(id);
    if (!add.isEmpty()) {
      req.setAddEntry(add.stream().map(r -> new ModifyPrefixListRequestAddEntry().setCidr(r.toString())
          .setDescription(description)).toList());
    }
    if (!remove.isEmpty()) {
      req.setRemoveEntry(remove.stream().map(r -> new ModifyPrefixListRequestRemoveEntry().setCidr(r.toString()))
          .toList());
    }
    calls.call("ModifyPrefixList", () -> client.get().modifyPrefixList(req));
    log.info("{}: {} entries added, {} removed", name(), add.size(), remove.size());
  }

  /** Reads the list; its family, room and entries come from the network and are checked. */
  private Listing describe() throws WriterException {
    DescribePrefixListAttributesResponseBody body = calls.call("DescribePrefixListAttributes", () ->
        client.get().describePrefixListAttributes(new DescribePrefixListAttributesRequest().setRegionId(region)
            .setPrefixListId(id)).getBody());
    if (body == null) {
      throw new WriterException(name(), "DescribePrefixListAttributes answered without a body");
    }
    IpRange.Family f = "IPv4".equalsIgnoreCase(body.getAddressFamily()) ? IpRange.Family.IPV4
        : "IPv6".equalsIgnoreCase(body.getAddressFamily()) ? IpRange.Family.IPV6 : null;
    if (f == null || body.getMaxEntries() == null || body.getMaxEntries() < 1 || body.getMaxEntries() > 10_000) {
      throw new WriterException(name(), "DescribePrefixListAttributes answered an address family '"
          + Sanitize.text(String.valueOf(body.getAddressFamily()), 16) + "' and max entries "
          + body.getMaxEntries() + ", which is not a prefix list this writer can keep");
    }
    TreeSet<IpRange> entries = new TreeSet<>();
    if (body.getEntries() != null && body.getEntries().getEntry() != null) {
      for (DescribePrefixListAttributesResponseBodyEntriesEntry e : body.getEntries().getEntry()) {
        try {
          entries.add(IpRange.parse(e == null ? null : e.getCidr()));
        } catch (IllegalArgumentException bad) {
          throw new WriterException(name(), "the list holds an entry that is not an address block ('"
              + Sanitize.text(e == null ? null : e.getCidr(), 64) + "'): " + bad.getMessage());
        }
      }
    }
    family = f;
    return new Listing(f, body.getMaxEntries(), entries);
  }

  /** Someone else added or removed one of our entries in the meantime. */
  private static boolean isConflict(WriterException e) {
    if (!(e.getCause() instanceof TeaException tea)) {
      return false;
    }
    String code = AliyunCalls.code(tea);
    return code.contains("Duplicat") || (code.contains("Entry") && (code.contains("NotExist")
        || code.contains("NotFound")));
  }
}

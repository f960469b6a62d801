package io.feishuipsync.writer.aws;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.writer.Holding;
import io.feishuipsync.writer.Writer;
import io.feishuipsync.writer.WriterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AddPrefixListEntry;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ManagedPrefixList;
import software.amazon.awssdk.services.ec2.model.RemovePrefixListEntry;

/**
 * Keeps a customer-managed prefix list holding exactly the list's addresses of its family. Each modification names
 * the version it read; on a conflict the writer reads again and retries. Additions go first, so a change split over
 * several calls never leaves a gap.
 */
final class PrefixListWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(PrefixListWriter.class);
  /** EC2 takes at most 100 additions and 100 removals per ModifyManagedPrefixList call. */
  static final int MAX_PER_CALL = 100;
  static final int MAX_CONFLICTS = 5;

  private final String id;
  private final String description;
  private final Supplier<Ec2Client> clients;
  private final Ec2Calls calls;
  private final Sleeper sleeper;
  private Ec2Client client;
  private IpRange.Family family;

  PrefixListWriter(String id, String description, Supplier<Ec2Client> clients, Sleeper sleeper) {
    this.id = id;
    this.description = description;
    this.clients = clients;
    this.sleeper = sleeper;
    this.calls = new Ec2Calls(name(), sleeper);
  }

  @Override
  public String name() {
    return "aws-prefix-list:" + id;
  }

  @Override
  public SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    TreeSet<IpRange> out = new TreeSet<>();
    desired.stream().filter(r -> family == null || r.family() == family).forEach(out::add);
    if (out.size() < desired.size()) {
      log.debug("{}: {} entries of the other address family are not for this list", name(),
          desired.size() - out.size());
    }
    return out;
  }

  @Override
  public void check() throws WriterException {
    describe();
  }

  @Override
  public Holding read() throws WriterException {
    ManagedPrefixList list = describe();
    return Holding.of(entries(list.version()));
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    for (int conflict = 0; ; conflict++) {
      ManagedPrefixList list = awaitStable(describe());
      TreeSet<IpRange> current = entries(list.version());
      if (desired.size() > list.maxEntries()) {
        throw new WriterException(name(), "the list has room for " + list.maxEntries() + " entries but "
            + desired.size() + " are needed; nothing changed. Raise its max entries (ModifyManagedPrefixList"
            + " MaxEntries) and the quota of the groups that reference it");
      }
      List<IpRange> add = desired.stream().filter(r -> !current.contains(r)).toList();
      List<IpRange> remove = current.stream().filter(r -> !desired.contains(r)).toList();
      try {
        modify(list.version(), add, remove);
        return;
      } catch (WriterException e) {
        if (!isVersionConflict(e) || conflict + 1 >= MAX_CONFLICTS) {
          throw e;
        }
        log.info("{}: the list changed while being updated ({}); reading it again", name(), e.getMessage());
      }
    }
  }

  @Override
  public void teardown() throws WriterException {
    ManagedPrefixList list = awaitStable(describe());
    modify(list.version(), List.of(), new ArrayList<>(entries(list.version())));
  }

  /** Adds first, then removes, at most {@link #MAX_PER_CALL} of each per call, each call naming the version. */
  private void modify(long version, List<IpRange> add, List<IpRange> remove) throws WriterException {
    long v = version;
    int a = 0;
    int r = 0;
    while (a < add.size() || r < remove.size()) {
      List<IpRange> addNow = add.subList(a, Math.min(add.size(), a + MAX_PER_CALL));
      // Removals wait until every addition is in: the list never lacks an address that stays.
      List<IpRange> removeNow = addNow.size() == add.size() - a
          ? remove.subList(r, Math.min(remove.size(), r + MAX_PER_CALL)) : List.of();
      long current = v;
      Ec2Client ec2 = client();
      calls.call("ModifyManagedPrefixList", () -> ec2.modifyManagedPrefixList(b -> b.prefixListId(id)
          .currentVersion(current)
          .addEntries(addNow.stream().map(e -> AddPrefixListEntry.builder().cidr(e.toString())
              .description(description).build()).toList())
          .removeEntries(removeNow.stream().map(e -> RemovePrefixListEntry.builder().cidr(e.toString()).build())
              .toList())));
      a += addNow.size();
      r += removeNow.size();
      v = awaitStable(describe()).version();
    }
  }

  private ManagedPrefixList describe() throws WriterException {
    Ec2Client ec2 = client();
    List<ManagedPrefixList> lists = calls.call("DescribeManagedPrefixLists",
        () -> ec2.describeManagedPrefixLists(b -> b.prefixListIds(id)).prefixLists());
    if (lists.isEmpty()) {
      throw new WriterException(name(), "prefix list " + id + " does not exist in this region");
    }
    ManagedPrefixList list = lists.get(0);
    family = "IPv6".equalsIgnoreCase(list.addressFamily()) ? IpRange.Family.IPV6 : IpRange.Family.IPV4;
    return list;
  }

  /** A list being modified refuses another modification: wait (bounded) until it settles. */
  private ManagedPrefixList awaitStable(ManagedPrefixList list) throws WriterException {
    for (int i = 0; i < 60 && list.stateAsString() != null && list.stateAsString().endsWith("-in-progress"); i++) {
      try {
        sleeper.sleep(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WriterException(name(), "interrupted while waiting for the list to settle", e);
      }
      list = describe();
    }
    if (list.stateAsString() != null && list.stateAsString().endsWith("-failed")) {
      throw new WriterException(name(), "the list is in state " + Sanitize.text(list.stateAsString(), 64) + ": "
          + Sanitize.text(list.stateMessage()));
    }
    return list;
  }

  private TreeSet<IpRange> entries(Long version) throws WriterException {
    Ec2Client ec2 = client();
    TreeSet<IpRange> out = new TreeSet<>();
    List<String> cidrs = new ArrayList<>();
    calls.call("GetManagedPrefixListEntries", () -> {
      ec2.getManagedPrefixListEntriesPaginator(b -> b.prefixListId(id)).entries().forEach(e -> cidrs.add(e.cidr()));
      return null;
    });
    for (String c : cidrs) {
      try {
        out.add(IpRange.parse(c));
      } catch (IllegalArgumentException e) {
        throw new WriterException(name(), "the list holds an entry this writer cannot read: "
            + Sanitize.text(c, 64));
      }
    }
    return out;
  }

  private static boolean isVersionConflict(WriterException e) {
    if (!(e.getCause() instanceof Ec2Exception ec2)) {
      return false;
    }
    String code = Ec2Calls.code(ec2);
    String msg = ec2.awsErrorDetails() == null ? "" : String.valueOf(ec2.awsErrorDetails().errorMessage());
    return code.equals("IncorrectState") || (code.equals("InvalidParameterValue") && msg.contains("version"));
  }

  private Ec2Client client() {
    if (client == null) {
      client = clients.get();
    }
    return client;
  }
}

package io.feishuipsync.writer.aws;

import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.cloud.PrefixLists;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AddPrefixListEntry;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ManagedPrefixList;
import software.amazon.awssdk.services.ec2.model.ModifyManagedPrefixListResponse;
import software.amazon.awssdk.services.ec2.model.PrefixListEntry;
import software.amazon.awssdk.services.ec2.model.RemovePrefixListEntry;

/**
 * Keeps a customer-managed prefix list holding exactly the list's addresses of its family. A change that fits one
 * ModifyManagedPrefixList call is made in one; a larger one is split so that the list never holds more than its
 * max entries, additions first. Each call names the version the writer read or its previous call made; on a
 * conflict the writer reads again and starts over.
 */
final class PrefixListWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(PrefixListWriter.class);
  /** EC2 takes at most 100 additions and 100 removals per ModifyManagedPrefixList call. */
  static final int MAX_PER_CALL = 100;
  static final int MAX_CONFLICTS = 5;

  private final String id;
  private final String description;
  private final Ec2Calls calls;
  private final Sleeper sleeper;
  private final Lazy<Ec2Client, RuntimeException> client;
  private IpRange.Family family;

  PrefixListWriter(String id, String description, Supplier<Ec2Client> clients, Sleeper sleeper) {
    this.id = id;
    this.description = description;
    this.client = new Lazy<>(clients::get);
    this.sleeper = sleeper;
    this.calls = new Ec2Calls(name(), sleeper);
  }

  @Override
  public String name() {
    return "aws-prefix-list:" + id;
  }

  @Override
  public Set<String> targets() {
    return Set.of("aws prefix list " + id);
  }

  @Override
  public SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    TreeSet<IpRange> out = PrefixLists.scope(desired, family);
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
    describe();
    return Holding.of(entries());
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    PrefixLists.update(name(), MAX_CONFLICTS, PrefixListWriter::isVersionConflict, () -> {
      ManagedPrefixList list = awaitStable(describe());
      TreeSet<IpRange> current = entries();
      if (desired.size() > list.maxEntries()) {
        throw new WriterException(name(), "the list has room for " + list.maxEntries() + " entries but "
            + desired.size() + " are needed; nothing changed. Raise its max entries (ModifyManagedPrefixList"
            + " MaxEntries) and the quota of the groups that reference it");
      }
      List<IpRange> add = desired.stream().filter(r -> !current.contains(r)).toList();
      List<IpRange> remove = current.stream().filter(r -> !desired.contains(r)).toList();
      List<Batch> plan = batches(current.size(), list.maxEntries(), add, remove).orElseThrow(() ->
          new WriterException(name(), "the list holds " + current.size() + " entries, more than its max entries "
              + list.maxEntries() + ", and no order of calls keeps it within that while " + add.size()
              + " entries are added and " + remove.size() + " removed; nothing changed. Raise its max entries"
              + " (ModifyManagedPrefixList MaxEntries)"));
      modify(list.version(), plan);
    }, log);
  }

  @Override
  public void teardown() throws WriterException {
    ManagedPrefixList list = awaitStable(describe());
    TreeSet<IpRange> current = entries();
    modify(list.version(), batches(current.size(), list.maxEntries(), List.of(), List.copyOf(current))
        .orElseThrow());
  }

  /** One ModifyManagedPrefixList call: the entries it adds and removes, at most {@link #MAX_PER_CALL} of each. */
  record Batch(List<IpRange> add, List<IpRange> remove) {}

  /**
   * Splits a change of a list holding {@code size} entries into calls after each of which it holds at most
   * {@code maxEntries}: one call when the change fits one (atomic, no peak); otherwise additions first, each call
   * taking along only the removals that make room for it, the remaining removals with the last additions and after.
   * Removals are of entries no longer listed, so taking them early never drops an address that stays. Empty when no
   * order keeps the list within {@code maxEntries}.
   */
  static Optional<List<Batch>> batches(int size, int maxEntries, List<IpRange> add, List<IpRange> remove) {
    List<Batch> out = new ArrayList<>();
    int a = 0;
    int r = 0;
    int held = size;
    while (a < add.size() || r < remove.size()) {
      int canRemove = Math.min(MAX_PER_CALL, remove.size() - r);
      int addNow = Math.max(0, Math.min(Math.min(MAX_PER_CALL, add.size() - a), maxEntries - held + canRemove));
      int removeNow = a + addNow == add.size() ? canRemove : Math.max(0, held + addNow - maxEntries);
      if ((addNow == 0 && removeNow == 0) || removeNow > canRemove || held + addNow - removeNow > maxEntries) {
        return Optional.empty();
      }
      out.add(new Batch(add.subList(a, a + addNow), remove.subList(r, r + removeNow)));
      a += addNow;
      r += removeNow;
      held += addNow - removeNow;
    }
    return Optional.of(out);
  }

  /**
   * Runs the calls in order, the first naming {@code version} and each next one the version the previous call
   * made: a list changed by someone else in between is then refused by EC2 as a version conflict, where reading the
   * version again would have hidden it.
   */
  private void modify(long version, List<Batch> plan) throws WriterException {
    long v = version;
    for (Batch batch : plan) {
      long current = v;
      Ec2Client ec2 = client.get();
      ModifyManagedPrefixListResponse answer = calls.call("ModifyManagedPrefixList",
          () -> ec2.modifyManagedPrefixList(b -> b.prefixListId(id)
          .currentVersion(current)
          .addEntries(batch.add().stream().map(e -> AddPrefixListEntry.builder().cidr(e.toString())
              .description(description).build()).toList())
          .removeEntries(batch.remove().stream().map(e -> RemovePrefixListEntry.builder().cidr(e.toString())
              .build()).toList())));
      ManagedPrefixList after = answer.prefixList();
      // Each change of entries makes exactly one new version; while it is in progress EC2 may still show the old one.
      v = after != null && after.version() != null && after.version() > current ? after.version() : current + 1;
      if (after == null || after.stateAsString() == null || after.stateAsString().endsWith("-in-progress")) {
        // The next call would be refused while this one runs; only the state is taken from this read.
        awaitStable(describe());
      }
    }
  }

  private ManagedPrefixList describe() throws WriterException {
    Ec2Client ec2 = client.get();
    List<ManagedPrefixList> lists = calls.call("DescribeManagedPrefixLists",
        () -> ec2.describeManagedPrefixLists(b -> b.prefixListIds(id)).prefixLists());
    if (lists.isEmpty()) {
      throw new WriterException(name(), "prefix list " + id + " does not exist in this region; check prefix_list_id"
          + " and region");
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

  private TreeSet<IpRange> entries() throws WriterException {
    Ec2Client ec2 = client.get();
    TreeSet<IpRange> out = new TreeSet<>();
    List<PrefixListEntry> all = calls.pages("GetManagedPrefixListEntries",
        () -> ec2.getManagedPrefixListEntriesPaginator(b -> b.prefixListId(id)).entries());
    for (PrefixListEntry entry : all) {
      String c = entry.cidr();
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
}

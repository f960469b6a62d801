package io.feishuipsync.cloud;

import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.WriterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;

/**
 * Keeps the entries of a load balancer's access control list that carry the writer's description (its marker),
 * the same for every cloud whose ACL is a set of address blocks with a description each (Alibaba Cloud's ALB and
 * CLB). Entries with another description are someone else's: they are never removed, and a listed address one of
 * them holds is left to it (the cloud takes no second entry of an address).
 *
 * <p>An ACL a listener uses as a whitelist lets every address in while it holds no entry (the clouds document
 * this trap), so the ACL is never left empty: a change adds before it removes, a change whose result would hold no
 * entry is refused, a rollback that would empty it keeps what it added, and a teardown that would empty an ACL a
 * listener uses is refused. The ACL's entry quota is checked at the peak of the change (what it holds plus what is
 * added) before anything changes.
 */
public final class AclEntries {

  /**
   * The ACL as read.
   *
   * @param families the address families it takes
   * @param entries every entry, address to description
   * @param listeners the listeners that use it, one phrase each (e.g. {@code lb-x:443 (white)}); only read for a
   *     teardown, empty otherwise
   */
  public record Acl(Set<IpRange.Family> families, Map<IpRange, String> entries, List<String> listeners) {

    /** The entries that carry {@code marker}. */
    TreeSet<IpRange> marked(String marker) {
      TreeSet<IpRange> out = new TreeSet<>();
      entries.forEach((r, d) -> {
        if (marker.equals(d)) {
          out.add(r);
        }
      });
      return out;
    }
  }

  /** What a cloud does to its ACL. */
  public interface Cloud {

    /** Reads the ACL; {@code listeners} says whether to read the listeners that use it too. */
    Acl read(boolean listeners) throws WriterException;

    /** Adds {@code batch} (at most {@link #perCall()}) with {@code description}; returns once the ACL holds them. */
    void add(List<IpRange> batch, String description) throws WriterException;

    /** Removes {@code batch} (at most {@link #perCall()}); returns once the ACL no longer holds them. */
    void remove(List<IpRange> batch) throws WriterException;

    /** Entries one add or remove call takes. */
    int perCall();

    /**
     * True when {@code e} says an entry is there already (of an add) or gone already (of a remove): someone changed
     * the ACL meanwhile, and the batch is made again entry by entry, such an entry counting as done.
     */
    boolean conflict(WriterException e);
  }

  private final String writer;
  private final String acl;
  private final String marker;
  private final int maxEntries;
  private final Cloud cloud;
  private final Logger log;
  private final Readings<Acl> readings;
  /** The last reading, for {@link #scope}: the families and the entries of others change rarely. */
  private volatile Acl last;

  /**
   * The ACL {@code acl} of {@code writer}, its entries marked with {@code marker}, its entry quota
   * {@code maxEntries}; {@code log} is the writer's.
   */
  public AclEntries(String writer, String acl, String marker, int maxEntries, Cloud cloud, Logger log) {
    this.writer = writer;
    this.acl = acl;
    this.marker = marker;
    this.maxEntries = maxEntries;
    this.cloud = cloud;
    this.log = log;
    this.readings = new Readings<>(id -> read(false));
  }

  /** Reads the ACL, keeping the reading for this run's scope, read and apply. */
  public void check() throws WriterException {
    readings.fresh(acl);
  }

  /**
   * The listed addresses this ACL is to hold under the marker: those of its families (all of them before it was
   * read), less those an entry of someone else's holds already.
   */
  public SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    return scope(desired, last);
  }

  private TreeSet<IpRange> scope(SortedSet<IpRange> desired, Acl a) {
    TreeSet<IpRange> out = new TreeSet<>();
    for (IpRange r : desired) {
      if (a == null || a.families().contains(r.family()) && !isForeign(a, r)) {
        out.add(r);
      }
    }
    return out;
  }

  /** The entries that carry the marker. */
  public Holding read() throws WriterException {
    return Holding.of(readings.reuse(acl).marked(marker));
  }

  /**
   * Makes the marked entries exactly {@code desired} (this ACL's {@link #scope}): adds what is missing, a batch at a
   * time, then removes the marked entries no longer listed. Refused with nothing changed when the quota would not
   * hold at the peak or the ACL would be left empty; a refusal part way through the additions takes back what this
   * run added.
   */
  public void apply(SortedSet<IpRange> desired) throws WriterException {
    readings.forget();
    Acl a = read(false);
    TreeSet<IpRange> want = scope(desired, a);
    List<IpRange> add = want.stream().filter(r -> !a.entries().containsKey(r)).toList();
    List<IpRange> remove = a.marked(marker).stream().filter(r -> !want.contains(r)).toList();
    if (add.isEmpty() && remove.isEmpty()) {
      return;
    }
    int peak = a.entries().size() + add.size();
    if (peak > maxEntries) {
      throw new WriterException(writer, "ACL " + acl + " would hold " + peak + " entries while the change is made ("
          + a.entries().size() + " now, " + add.size() + " to add before " + remove.size() + " are removed), more"
          + " than its quota of " + maxEntries + " (max_entries); nothing changed. Raise the quota, or remove"
          + " entries of your own");
    }
    if (a.entries().size() + add.size() - remove.size() == 0) {
      throw new WriterException(writer, "ACL " + acl + " would hold no entry, and an ACL with no entries lets every"
          + " address in where a listener uses it as a whitelist; nothing changed");
    }
    List<IpRange> added = new ArrayList<>();
    try {
      Batches.each(add, cloud.perCall(), batch -> {
        cloud.add(batch, marker);
        added.addAll(batch);
      }, cloud::conflict);
    } catch (WriterException e) {
      throw rolledBack(a, added, e);
    }
    removeAll(remove);
    log.info("{}: {} entries added, {} removed", writer, add.size(), remove.size());
  }

  /**
   * Removes every marked entry. Refused when that leaves the ACL empty while a listener uses it (an empty
   * whitelist lets every address in); returns what it leaves, one sentence.
   */
  public String teardown() throws WriterException {
    readings.forget();
    Acl a = read(true);
    TreeSet<IpRange> ours = a.marked(marker);
    int left = a.entries().size() - ours.size();
    if (left == 0 && !ours.isEmpty() && !a.listeners().isEmpty()) {
      throw new WriterException(writer, "ACL " + acl + " holds only this writer's " + ours.size() + " entries and is"
          + " used by " + String.join(", ", a.listeners()) + "; removing them would leave it empty, which lets every"
          + " address in. Detach the ACL from those listeners (or turn their access control off), or add an entry"
          + " of your own, and run teardown again; nothing changed");
    }
    removeAll(List.copyOf(ours));
    String leaves = left == 0 ? "ACL " + acl + " is left empty (no listener uses it)"
        : "ACL " + acl + " keeps " + left + " entries that are not this writer's";
    log.info("{}: {} entries removed; {}", writer, ours.size(), leaves);
    return leaves;
  }

  /**
   * Removes the entries of {@code added} again after {@code e}, unless that would leave the ACL empty: then the
   * entries stay (they are listed addresses; an empty ACL would let every address in) and the error says so.
   */
  private WriterException rolledBack(Acl before, List<IpRange> added, WriterException e) {
    if (added.isEmpty()) {
      return e;
    }
    if (before.entries().isEmpty()) {
      return new WriterException(writer, e.detail() + "; the " + added.size() + " entries this run had added stay"
          + " (ACL " + acl + " was empty, and an empty ACL lets every address in)", e.getCause());
    }
    try {
      removeAll(added);
    } catch (WriterException again) {
      return new WriterException(writer, e.detail() + "; the entries this run had added could not be taken back ("
          + again.detail() + "): ACL " + acl + " holds part of the new list until the next run", e.getCause());
    }
    log.warn("{}: {} entries this run had added were removed again after the refusal", writer, added.size());
    return new WriterException(writer, e.detail() + "; the " + added.size() + " entries this run had added were"
        + " removed again, ACL " + acl + " holds what it held before", e.getCause());
  }

  /** An entry as a cloud answered it: network text, so checked and quoted sanitized. */
  public static IpRange entry(String writer, String text) throws WriterException {
    try {
      return IpRange.parse(text);
    } catch (IllegalArgumentException bad) {
      throw new WriterException(writer, "the ACL holds an entry that is not an address block ('"
          + Sanitize.text(text, 64) + "'): " + bad.getMessage());
    }
  }

  private Acl read(boolean listeners) throws WriterException {
    Acl a = cloud.read(listeners);
    last = a;
    return a;
  }

  private void removeAll(List<IpRange> entries) throws WriterException {
    Batches.each(entries, cloud.perCall(), cloud::remove, cloud::conflict);
  }

  private boolean isForeign(Acl a, IpRange r) {
    String d = a.entries().get(r);
    return d != null && !d.equals(marker);
  }
}

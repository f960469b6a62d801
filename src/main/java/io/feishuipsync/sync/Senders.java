package io.feishuipsync.sync;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the list is for: the senders (Feishu, Lark, GitHub, ...) by name in config order, each with the policy its
 * entries are held to, which what a run reads back of them from its store passes again; the operator's own entries
 * for every writer; and when a missing address really goes.
 */
public record Senders(List<Sender> sources, SortedSet<IpRange> alsoAllow, RemovalSettings removal) {

  private static final Logger log = LoggerFactory.getLogger(Syncer.class);

  /** The label of a single Feishu app configured without a name, as before several were possible. */
  public static final String DEFAULT_LABEL = "feishu";

  /**
   * One sender: its name (the label of its entries everywhere), where its list comes from, and the policy its entries
   * are held to (null: what is read back of it is not checked again, for tests of other things).
   */
  public record Sender(String label, AddressSource source, EntryPolicy policy) {

    /** A sender whose list read back from the store is not checked again. */
    public Sender(String label, AddressSource source) {
      this(label, source, null);
    }
  }

  public Senders {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("at least one source");
    }
    sources = List.copyOf(sources);
    alsoAllow = Collections.unmodifiableSortedSet(new TreeSet<>(alsoAllow));
  }

  /** One sender, no own entries, removals at once: the behaviour before any of these existed. */
  public static Senders single(AddressSource source) {
    return new Senders(List.of(new Sender(DEFAULT_LABEL, source)), new TreeSet<>(), RemovalSettings.IMMEDIATE);
  }

  /**
   * Every source's answer of one run.
   *
   * @param answers one per source, in config order
   * @param requests HTTP requests made to the sources that answered
   * @param abandoned set when the daemon, stopping, gave up a fetch: the run applies nothing
   */
  record Fetch(List<ListMerge.Answer> answers, int requests, SourceException abandoned) {

    boolean allFailed() {
      return answers.stream().allMatch(a -> a.list() == null);
    }

    boolean anyFailed() {
      return answers.stream().anyMatch(a -> a.list() == null);
    }

    /** The failures, one line: a single source's message as it is, several named by label. */
    String errors() {
      List<String> out = new ArrayList<>();
      for (ListMerge.Answer a : answers) {
        if (a.error() != null) {
          out.add(answers.size() == 1 ? a.error() : a.label() + ": " + a.error());
        }
      }
      return String.join("; ", out);
    }
  }

  /** The sender named {@code label}, if it is configured. */
  Optional<Sender> named(String label) {
    return sources.stream().filter(x -> x.label().equals(label)).findFirst();
  }

  /** Fetches every sender in turn; one failing does not keep the others from being asked. */
  Fetch fetchAll() {
    List<ListMerge.Answer> answers = new ArrayList<>();
    int requests = 0;
    for (Sender n : sources) {
      try {
        SourceList list = n.source().fetch();
        requests += list.requests();
        int covered = list.entries().size() - AddressSets.withoutCovered(list.entries()).size();
        if (covered > 0) {
          log.info("{}{} of {} entries lie inside wider prefixes of the same list; they are left out",
              sources.size() > 1 ? n.label() + ": " : "", covered, list.entries().size());
        }
        answers.add(new ListMerge.Answer(n.label(), list, null));
      } catch (SourceException e) {
        if (e.isAbandoned()) {
          return new Fetch(answers, requests, e);
        }
        answers.add(new ListMerge.Answer(n.label(), null, e.getMessage()));
      }
    }
    return new Fetch(answers, requests, null);
  }
}

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
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What feeds the list: the sources (Feishu, Lark, ...) by label in config order, the operator's own entries for
 * every writer, when a missing address really goes, and the policy the sources' entries are held to ({@code
 * validation}), which what a run reads back of them from its store passes again (null: not checked, for tests of
 * other things).
 */
public record Feeds(List<Named> sources, SortedSet<IpRange> alsoAllow, RemovalSettings removal, EntryPolicy policy) {

  private static final Logger log = LoggerFactory.getLogger(Syncer.class);

  /** The label of a single source configured as one app, as before several were possible. */
  public static final String DEFAULT_LABEL = "feishu";

  /** One source and its label. */
  public record Named(String label, AddressSource source) {}

  public Feeds {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("at least one source");
    }
    sources = List.copyOf(sources);
    alsoAllow = Collections.unmodifiableSortedSet(new TreeSet<>(alsoAllow));
  }

  /** Feeds whose lists read back from the store are not checked again. */
  public Feeds(List<Named> sources, SortedSet<IpRange> alsoAllow, RemovalSettings removal) {
    this(sources, alsoAllow, removal, null);
  }

  /** One source, no own entries, removals at once: the behaviour before any of these existed. */
  public static Feeds single(AddressSource source) {
    return new Feeds(List.of(new Named(DEFAULT_LABEL, source)), new TreeSet<>(), RemovalSettings.IMMEDIATE);
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

  /** Fetches every source in turn; one failing does not keep the others from being asked. */
  Fetch fetchAll() {
    List<ListMerge.Answer> answers = new ArrayList<>();
    int requests = 0;
    for (Named n : sources) {
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

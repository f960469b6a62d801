package io.feishuipsync.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the daemon hears of a change to a writer's target as it happens, so that a repair need not wait for the next
 * interval check: a command that prints the ruleset's changes, a few lines per transaction, each transaction ending
 * with a line that starts with {@code endOfChange} ({@code nft monitor}: {@code # new generation}).
 *
 * @param argv the command; it runs for as long as the daemon does
 * @param endOfChange how the last line of one change starts
 * @param words a change concerns the writer when a word of one of its lines is one of these (its table, its
 *     chains)
 */
public record Watch(List<String> argv, String endOfChange, List<String> words) {

  public Watch {
    argv = List.copyOf(argv);
    words = List.copyOf(words);
  }

  /** True when {@code line} names one of the {@link #words}. */
  public boolean concerns(String line) {
    for (String w : line.split("[\\s{},;]+")) {
      if (words.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /**
   * One watch per command: the watches of writers that listen to the same command (an nftables and an iptables
   * writer both to {@code nft monitor}) become one, concerned with all their words, so one process serves them.
   */
  public static List<Watch> merged(Collection<Watch> watches) {
    Map<Command, Set<String>> words = new LinkedHashMap<>();
    watches.forEach(w -> words.computeIfAbsent(new Command(w.argv(), w.endOfChange()), k -> new LinkedHashSet<>())
        .addAll(w.words()));
    List<Watch> out = new ArrayList<>();
    words.forEach((c, v) -> out.add(new Watch(c.argv(), c.endOfChange(), List.copyOf(v))));
    return out;
  }

  private record Command(List<String> argv, String endOfChange) {}

  /** {@code nft monitor}: every nf_tables transaction, iptables' nf_tables flavour included. */
  public static Watch nftMonitor(String nft, List<String> words) {
    return new Watch(List.of(nft, "monitor"), "# new generation", words);
  }
}

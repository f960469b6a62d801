package io.feishuipsync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.config.Config;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SourceReport;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.state.StateLock;
import io.feishuipsync.sync.Senders;
import io.feishuipsync.sync.Syncer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code sync}: one sync now, then exit with the outcome's code. */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Fetch the list from Feishu and apply it to every writer once.")
final class SyncCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SAMPLE = 20;

  @ParentCommand
  RootCommand root;

  @Option(names = "--dry-run", description = "Fetch and compare, but change nothing (no firewall, no state).")
  boolean dryRun;

  @Option(names = "--force", description = "Apply even when more than guard.max_removal_ratio would be removed.")
  boolean force;

  @Option(names = "--prune", description = "Remove now the addresses whose removal is pending (removal.grace).")
  boolean prune;

  @Option(names = "--output", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  Output output;

  @Override
  public Integer call() throws Exception {
    Config config = root.loadConfig();
    root.logForCommand(config);
    try (Wiring w = new Wiring(config, false)) {
      SyncResult result;
      if (dryRun) {
        result = w.sync(new Syncer.Options(true, force, prune));
      } else {
        try (StateLock lock = StateLock.acquire(w.store)) {
          result = w.sync(new Syncer.Options(false, force, prune));
        } catch (StateLock.HeldException e) {
          root.err.println("feishu-ipsync: " + e.getMessage());
          return Cli.FAILURE;
        } catch (IOException e) {
          root.err.println("feishu-ipsync: cannot lock the state directory " + config.stateDir() + ": "
              + e.getMessage());
          return Cli.FAILURE;
        }
      }
      print(result, root.out);
      if (!printsMessage(result)) {
        root.err.println("feishu-ipsync: " + result.message());
      }
      return result.outcome().exitCode();
    }
  }

  private void print(SyncResult r, PrintStream out) throws IOException {
    if (output == Output.JSON) {
      out.println(JSON.writeValueAsString(toJson(r)));
      return;
    }
    if (printsMessage(r)) {
      // A failure's message goes to stderr, once.
      out.println(r.message());
    }
    if (r.sources().size() > 1) {
      out.println("sources: " + String.join(", ", r.sources().stream().map(SyncCommand::source).toList()));
    }
    // A first dry run would add the whole list: showing it once is enough.
    boolean allNew = r.removed().isEmpty() && r.added().equals(r.list());
    if (r.dryRun() && !r.list().isEmpty()) {
      out.println(listName(r) + ", " + r.list().size() + " entries"
          + (allNew ? ", all of them new:" : ":"));
      sample(r.list(), "    ", out);
    }
    if (!(r.dryRun() && allNew)) {
      sample(r.added(), "  + ", out);
      sample(r.removed(), "  - ", out);
    }
    for (WriterResult w : r.writers()) {
      out.printf(Locale.ROOT, "  %-40s %-12s %s%n", w.writer(), w.outcome().name().toLowerCase(Locale.ROOT),
          summary(w));
    }
  }

  /** A run that applied the list says so on stdout; any other's message is its failure, for stderr. */
  private static boolean printsMessage(SyncResult r) {
    return r.outcome() == SyncResult.Outcome.SUCCESS || r.outcome() == SyncResult.Outcome.PARTIAL;
  }

  /** One source's part, e.g. {@code lark 12 (last good list of 2026-11-24T10:00:00Z)}. */
  /** Feishu's list, as ever, or the one other sender's, or the list of several. */
  private static String listName(SyncResult r) {
    if (r.sources().size() != 1 || r.sources().get(0).label().equals(Senders.DEFAULT_LABEL)) {
      return r.sources().size() > 1 ? "The list" : "Feishu's list";
    }
    return "The list of " + r.sources().get(0).label();
  }

  private static String source(SourceReport s) {
    return s.label() + " " + s.entries() + switch (s.state()) {
      case FRESH, CONFIG -> "";
      case STALE -> " (failed; last good list of " + s.fetchedAt() + ")";
      case FAILED -> " (failed; no list yet)";
    };
  }

  /** One writer's line: what it holds and would change, or why it cannot run (beside the others, not instead). */
  private static String summary(WriterResult w) {
    if (w.error() != null) {
      String prefix = w.writer() + ": ";
      return w.error().startsWith(prefix) ? w.error().substring(prefix.length()) : w.error();
    }
    String created = !w.created() ? ""
        : w.outcome() == WriterResult.Outcome.WOULD_CHANGE ? ", would create it" : ", created";
    return String.format(Locale.ROOT, "%d entries (+%d -%d)", w.entries(), w.added(), w.removed()) + created
        + (w.drift().isEmpty() ? "" : ", drift: " + String.join("; ", w.drift()));
  }

  /** Prints the first {@value #SAMPLE} entries and how many more there are: thousands of lines help nobody. */
  private static void sample(SortedSet<IpRange> entries, String prefix, PrintStream out) {
    entries.stream().limit(SAMPLE).forEach(a -> out.println(prefix + a));
    if (entries.size() > SAMPLE) {
      out.println(prefix.replaceAll("\\S", " ") + "... and " + (entries.size() - SAMPLE)
          + " more (--output json lists them all)");
    }
  }

  static ObjectNode toJson(SyncResult r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
    n.put("exit_code", r.outcome().exitCode());
    n.put("message", r.message());
    n.put("total", r.total());
    ArrayNode added = n.putArray("added");
    r.added().stream().map(IpRange::toString).forEach(added::add);
    ArrayNode removed = n.putArray("removed");
    r.removed().stream().map(IpRange::toString).forEach(removed::add);
    n.put("applied", r.applied());
    n.put("dry_run", r.dryRun());
    n.put("requests", r.requests());
    n.put("duration_ms", r.duration().toMillis());
    if (r.dryRun()) {
      ArrayNode list = n.putArray("list");
      r.list().stream().map(IpRange::toString).forEach(list::add);
    }
    if (r.sources().size() > 1) {
      ArrayNode sources = n.putArray("sources");
      for (SourceReport s : r.sources()) {
        ObjectNode o = sources.addObject().put("name", s.label())
            .put("state", s.state().name().toLowerCase(Locale.ROOT)).put("entries", s.entries());
        if (s.fetchedAt() != null) {
          o.put("fetched_at", s.fetchedAt().toString());
        }
        if (s.error() != null) {
          o.put("error", s.error());
        }
      }
    }
    ArrayNode writers = n.putArray("writers");
    for (WriterResult w : r.writers()) {
      ObjectNode o = writers.addObject();
      o.put("name", w.writer());
      o.put("outcome", w.outcome().name().toLowerCase(Locale.ROOT));
      o.put("entries", w.entries());
      o.put("added", w.added());
      o.put("removed", w.removed());
      ArrayNode drift = o.putArray("drift");
      w.drift().forEach(drift::add);
      if (w.error() != null) {
        o.put("error", w.error());
      }
      if (w.created()) {
        o.put("created", true);
      }
    }
    return n;
  }
}

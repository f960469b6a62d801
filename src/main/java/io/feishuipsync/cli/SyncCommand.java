package io.feishuipsync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.config.Config;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.state.StateLock;
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
        result = w.sync(new Syncer.Options(true, force));
      } else {
        try (StateLock lock = StateLock.acquire(w.store)) {
          result = w.sync(new Syncer.Options(false, force));
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
      if (result.outcome() != SyncResult.Outcome.SUCCESS) {
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
    if (r.outcome() == SyncResult.Outcome.SUCCESS) {
      // A failure's message goes to stderr, once.
      out.println(r.message());
    }
    // A first dry run would add the whole list: showing it once is enough.
    boolean allNew = r.removed().isEmpty() && r.added().equals(r.list());
    if (r.dryRun() && !r.list().isEmpty()) {
      out.println("Feishu's list, " + r.list().size() + " entries" + (allNew ? ", all of them new:" : ":"));
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

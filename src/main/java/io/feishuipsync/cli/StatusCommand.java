package io.feishuipsync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.config.ListSettings;
import io.feishuipsync.state.Snapshot;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.state.Status;
import io.feishuipsync.state.StatusFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code status}: what the state directory says about the last runs; reads only, needs no secret. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the last successful sync, the entry count, and each writer's last result.")
final class StatusCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand
  RootCommand root;

  @Option(names = "--output", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  Output output;

  @Override
  public Integer call() throws Exception {
    ConfigLoader loader = new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, root.env);
    Path dir = loader.stateDir(root.config);
    ListSettings.Timings timings = loader.timings(root.config);
    Instant now = Instant.now();
    StateStore store = new StateStore(dir);
    StateStore.Loaded loaded = store.loadSnapshot();
    Optional<Status> status = store.loadStatus();
    if (output == Output.JSON) {
      ObjectNode n = JSON.createObjectNode();
      n.put("state_dir", dir.toString());
      ObjectNode snap = n.putObject("snapshot");
      loaded.snapshot().ifPresentOrElse(s -> {
        snap.put("entries", s.entries().size());
        snap.put("fetched_at", s.fetchedAt().toString());
        snap.put("source", s.source());
        StatusLists.json(s, timings, now, snap);
      }, () -> snap.put("problem", loaded.problem()));
      status.ifPresent(s -> n.set("status", StatusFile.toJson(s)));
      ClusterStatus.json(loader, root.config, dir).ifPresent(c -> n.set("cluster", c));
      root.out.println(JSON.writeValueAsString(n));
      return Cli.OK;
    }
    root.out.println("state directory: " + dir);
    if (loaded.snapshot().isPresent()) {
      Snapshot s = loaded.snapshot().get();
      root.out.println("last successful fetch: " + s.fetchedAt() + ", " + s.entries().size() + " entries from "
          + s.source());
      StatusLists.text(s, timings, now, root.out);
    } else {
      root.out.println("last successful fetch: none (" + loaded.problem() + ")");
    }
    if (status.isEmpty()) {
      root.out.println("last attempt: none recorded");
      ClusterStatus.text(loader, root.config, dir, root.out);
      return Cli.OK;
    }
    Status st = status.get();
    Status.Attempt a = st.lastAttempt();
    root.out.println("last attempt: " + (a == null ? ", : " : text(a.time()) + ", " + text(a.outcome()) + ": "
        + a.message()));
    root.out.println("consecutive failures: " + st.consecutiveFailures());
    root.out.println("writers:");
    st.writers().forEach((name, w) -> root.out.printf(Locale.ROOT, "  %-40s %-10s %d entries at %s%s%n", name,
        text(w.outcome()), w.entries(), text(w.time()), w.error() != null ? ": " + w.error() : ""));
    ClusterStatus.text(loader, root.config, dir, root.out);
    return Cli.OK;
  }

  /** A value as the text output shows it: empty when the file held none that could be read. */
  static String text(Object value) {
    return value == null ? "" : value instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : value.toString();
  }
}

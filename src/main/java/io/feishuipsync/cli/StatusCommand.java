package io.feishuipsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.Snapshot;
import io.feishuipsync.core.StateStore;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
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
    Path dir = new ConfigLoader(root.env).stateDir(root.config);
    StateStore store = new StateStore(dir);
    StateStore.Loaded loaded = store.loadSnapshot();
    Optional<JsonNode> status = store.loadStatus();
    if (output == Output.JSON) {
      ObjectNode n = JSON.createObjectNode();
      n.put("state_dir", dir.toString());
      ObjectNode snap = n.putObject("snapshot");
      loaded.snapshot().ifPresentOrElse(s -> {
        snap.put("entries", s.entries().size());
        snap.put("fetched_at", s.fetchedAt().toString());
        snap.put("source", s.source());
      }, () -> snap.put("problem", loaded.problem()));
      status.ifPresent(s -> n.set("status", s));
      root.out.println(JSON.writeValueAsString(n));
      return Cli.OK;
    }
    root.out.println("state directory: " + dir);
    if (loaded.snapshot().isPresent()) {
      Snapshot s = loaded.snapshot().get();
      root.out.println("last successful fetch: " + s.fetchedAt() + ", " + s.entries().size() + " entries from "
          + s.source());
    } else {
      root.out.println("last successful fetch: none (" + loaded.problem() + ")");
    }
    if (status.isEmpty()) {
      root.out.println("last attempt: none recorded");
      return Cli.OK;
    }
    JsonNode st = status.get();
    JsonNode a = st.path("last_attempt");
    root.out.println("last attempt: " + a.path("time").asText() + ", " + a.path("outcome").asText() + ": "
        + a.path("message").asText());
    root.out.println("consecutive failures: " + st.path("consecutive_failures").asInt());
    root.out.println("writers:");
    for (Iterator<Map.Entry<String, JsonNode>> it = st.path("writers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode w = e.getValue();
      root.out.printf(Locale.ROOT, "  %-40s %-10s %d entries at %s%s%n", e.getKey(), w.path("outcome").asText(),
          w.path("entries").asInt(), w.path("time").asText(),
          w.hasNonNull("error") ? ": " + w.get("error").asText() : "");
    }
    return Cli.OK;
  }
}

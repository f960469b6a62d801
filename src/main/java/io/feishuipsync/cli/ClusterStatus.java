package io.feishuipsync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.config.ClusterSettings;
import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.daemon.ClusterView;
import io.feishuipsync.state.ClusterNote;
import io.feishuipsync.state.Status;
import io.feishuipsync.state.StatusFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The cluster part of {@code status}: this node's view (from the state directory, readable without the database)
 * and the database's (nodes, last check-ins, the last cluster run and each cluster writer's result). Nothing when
 * the config has no cluster section.
 */
final class ClusterStatus {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClusterStatus() {}

  /** Prints the cluster lines of the text output. */
  static void text(ConfigLoader loader, Path config, Path dir, PrintStream out) {
    ClusterSettings settings;
    try {
      settings = loader.cluster(config);
    } catch (ConfigException e) {
      out.println("cluster: cannot read the cluster settings: " + e.getMessage());
      return;
    }
    if (settings == null) {
      return;
    }
    out.println("cluster: node " + settings.nodeId() + ", database " + settings.jdbcUrl() + " as "
        + settings.username());
    ClusterNote.load(dir).ifPresent(n -> out.println("  cluster job on this node: " + (n.running() ? "can run"
        : "NOT RUNNING") + " since " + n.since() + ": " + Sanitize.text(n.reason())));
    ClusterView view;
    try {
      view = ClusterView.read(settings);
    } catch (ClusterView.ClusterException e) {
      out.println("  database: cannot be read: " + e.getMessage());
      return;
    }
    out.println("  schema version: " + (view.schemaVersion() == 0 ? "none yet" : view.schemaVersion()));
    out.println("  nodes:");
    // Node ids and the last run's node come from the database: escaped like network text.
    view.nodes().forEach(n -> out.printf(Locale.ROOT, "    %-30s last check-in %s (every %d ms)%n", Sanitize.text(n.id()),
        n.lastCheckin(), n.checkinIntervalMs()));
    out.println("  last cluster run: " + (view.lastRunNode() == null ? "none recorded" : "by " + Sanitize.text(view.lastRunNode())
        + " at " + view.lastRunTime() + view.lastRun().map(ClusterStatus::attempt).orElse("")));
    view.lastRun().ifPresent(s -> s.writers().forEach((name, w) -> out.printf(Locale.ROOT,
        "    %-40s %-10s %d entries at %s%s%n", name, StatusCommand.text(w.outcome()), w.entries(),
        StatusCommand.text(w.time()), w.error() != null ? ": " + w.error() : "")));
  }

  /** The cluster object of the JSON output, or empty without a cluster section. */
  static Optional<ObjectNode> json(ConfigLoader loader, Path config, Path dir) {
    ObjectNode n = JSON.createObjectNode();
    ClusterSettings settings;
    try {
      settings = loader.cluster(config);
    } catch (ConfigException e) {
      n.put("problem", "cannot read the cluster settings: " + e.getMessage());
      return Optional.of(n);
    }
    if (settings == null) {
      return Optional.empty();
    }
    n.put("node", settings.nodeId());
    n.put("jdbc_url", settings.jdbcUrl());
    ClusterNote.load(dir).ifPresent(note -> {
      ObjectNode here = n.putObject("this_node");
      here.put("running", note.running());
      here.put("since", note.since().toString());
      here.put("reason", Sanitize.text(note.reason()));
    });
    try {
      ClusterView view = ClusterView.read(settings);
      n.put("schema_version", view.schemaVersion());
      ArrayNode nodes = n.putArray("nodes");
      view.nodes().forEach(x -> nodes.addObject().put("id", Sanitize.text(x.id())).put("last_checkin", x.lastCheckin().toString())
          .put("checkin_interval_ms", x.checkinIntervalMs()));
      if (view.lastRunNode() != null) {
        ObjectNode last = n.putObject("last_run");
        last.put("node", Sanitize.text(view.lastRunNode()));
        last.put("time", view.lastRunTime().toString());
        view.lastRun().ifPresent(s -> last.set("status", StatusFile.toJson(s)));
      }
    } catch (ClusterView.ClusterException e) {
      n.put("problem", e.getMessage());
    }
    return Optional.of(n);
  }

  private static String attempt(Status s) {
    Status.Attempt a = s.lastAttempt();
    return a == null ? "" : ": " + StatusCommand.text(a.outcome()) + ": " + a.message();
  }
}

package io.feishuipsync.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.Sanitize;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code cluster.json} in the state directory: whether this node's cluster job can run, since when, and why, so that
 * {@code status} can say so even when the cluster database cannot be reached.
 *
 * @param node this node's id
 * @param running whether the cluster job can run here (the database answers)
 * @param since when that became so
 * @param reason one line: the joining, or the database's failure
 */
public record ClusterNote(String node, boolean running, Instant since, String reason) {

  static final String FILE = "cluster.json";

  /** Writes the note into {@code store}'s directory. */
  public void save(StateStore store) throws IOException {
    store.ensureDir();
    ObjectNode n = StateStore.json().createObjectNode();
    n.put("node", node);
    n.put("running", running);
    n.put("since", since.toString());
    n.put("reason", reason);
    AtomicFiles.write(store.dir().resolve(FILE), StateStore.json().writeValueAsBytes(n), 0600);
  }

  /** The note in {@code dir}, if there is a readable one. */
  public static Optional<ClusterNote> load(Path dir) {
    try {
      JsonNode n = StateStore.json().readTree(SafeFiles.read(dir.resolve(FILE)));
      if (n == null || !n.isObject()) {
        return Optional.empty();
      }
      return Optional.of(new ClusterNote(Sanitize.text(n.path("node").asText(""), 80), n.path("running").asBoolean(),
          Instant.parse(n.path("since").asText()), Sanitize.text(n.path("reason").asText(""), 500)));
    } catch (IOException | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}

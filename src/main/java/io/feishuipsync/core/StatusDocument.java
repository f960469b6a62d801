package io.feishuipsync.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds {@code status.json}: the last attempt, the last success, and each writer's last result. */
final class StatusDocument {

  private StatusDocument() {}

  static JsonNode update(Optional<JsonNode> previous, SyncResult r, Instant now) {
    ObjectNode root = StateStore.json().createObjectNode();
    root.put("version", 1);
    ObjectNode attempt = root.putObject("last_attempt");
    attempt.put("time", r.startedAt().toString());
    attempt.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
    attempt.put("exit_code", r.outcome().exitCode());
    attempt.put("message", r.message());
    attempt.put("duration_ms", r.duration().toMillis());
    attempt.put("requests", r.requests());
    if (r.applied()) {
      ObjectNode success = root.putObject("last_success");
      success.put("time", now.toString());
      success.put("total", r.total());
      success.put("added", r.added().size());
      success.put("removed", r.removed().size());
    } else {
      previous.map(p -> p.get("last_success")).filter(JsonNode::isObject).ifPresent(s -> root.set("last_success", s));
    }
    int failures = r.outcome().consecutiveFailures(
        previous.map(p -> p.path("consecutive_failures").asInt(0)).orElse(0));
    root.put("consecutive_failures", failures);

    // Writers the run did not reach keep their last result.
    Map<String, JsonNode> writers = new LinkedHashMap<>();
    previous.map(p -> p.path("writers")).filter(JsonNode::isObject)
        .ifPresent(ws -> ws.fields().forEachRemaining(e -> writers.put(e.getKey(), e.getValue())));
    for (WriterResult w : r.writers()) {
      if (w.outcome() == WriterResult.Outcome.SKIPPED) {
        continue;
      }
      ObjectNode n = StateStore.json().createObjectNode();
      n.put("time", now.toString());
      n.put("outcome", w.outcome().name().toLowerCase(java.util.Locale.ROOT));
      n.put("entries", w.entries());
      n.put("added", w.added());
      n.put("removed", w.removed());
      ArrayNode drift = n.putArray("drift");
      w.drift().forEach(drift::add);
      if (w.error() != null) {
        n.put("error", w.error());
      }
      writers.put(w.writer(), n);
    }
    ObjectNode ws = root.putObject("writers");
    writers.forEach(ws::set);
    return root;
  }
}

package io.feishuipsync.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that knows the keys of {@code status.json}. Reading is lenient, as operators and older versions may
 * have left anything there: unknown keys are ignored, a missing or mistyped value reads as 0 or absent, and a file
 * that is not a JSON object reads as no status at all.
 */
public final class StatusFile {

  private static final ObjectMapper JSON = StateStore.json();
  private static final int VERSION = 1;

  private StatusFile() {}

  /** {@code status} as the JSON object status.json holds, also what {@code status --output json} prints. */
  public static ObjectNode toJson(Status status) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    Status.Attempt a = status.lastAttempt();
    if (a != null) {
      ObjectNode attempt = root.putObject("last_attempt");
      putTime(attempt, a.time());
      putOutcome(attempt, a.outcome());
      attempt.put("exit_code", a.exitCode());
      attempt.put("message", a.message());
      attempt.put("duration_ms", a.durationMs());
      attempt.put("requests", a.requests());
    }
    Status.Success s = status.lastSuccess();
    if (s != null) {
      ObjectNode success = root.putObject("last_success");
      putTime(success, s.time());
      success.put("total", s.total());
      success.put("added", s.added());
      success.put("removed", s.removed());
    }
    root.put("consecutive_failures", status.consecutiveFailures());
    ObjectNode writers = root.putObject("writers");
    status.writers().forEach((name, w) -> {
      ObjectNode n = writers.putObject(name);
      putTime(n, w.time());
      putOutcome(n, w.outcome());
      n.put("entries", w.entries());
      n.put("added", w.added());
      n.put("removed", w.removed());
      ArrayNode drift = n.putArray("drift");
      w.drift().forEach(drift::add);
      if (w.error() != null) {
        n.put("error", w.error());
      }
    });
    return root;
  }

  /** Longer than any message a run writes: several writers' errors, each already cut to a few hundred characters. */
  private static final int STORED_MAX = 4096;

  static byte[] bytes(Status status) throws JsonProcessingException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(status));
  }

  /** The status in {@code content}, or empty when it is not a JSON object. */
  static Optional<Status> read(byte[] content) {
    JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    JsonNode a = root.path("last_attempt");
    Status.Attempt attempt = !a.isObject() ? null : new Status.Attempt(time(a), outcome(a, SyncResult.Outcome.class),
        a.path("exit_code").asInt(0), stored(a.path("message").asText()), a.path("duration_ms").asLong(0),
        a.path("requests").asInt(0));
    JsonNode s = root.path("last_success");
    Status.Success success = !s.isObject() ? null : new Status.Success(time(s), s.path("total").asInt(0),
        s.path("added").asInt(0), s.path("removed").asInt(0));
    Map<String, Status.WriterStatus> writers = new LinkedHashMap<>();
    root.path("writers").fields().forEachRemaining(e -> writers.put(Sanitize.text(e.getKey()), writer(e.getValue())));
    return Optional.of(new Status(attempt, success, root.path("consecutive_failures").asInt(0), writers));
  }

  private static Status.WriterStatus writer(JsonNode w) {
    List<String> drift = new ArrayList<>();
    w.path("drift").forEach(d -> drift.add(stored(d.asText())));
    return new Status.WriterStatus(time(w), outcome(w, WriterResult.Outcome.class), w.path("entries").asInt(0),
        w.path("added").asInt(0), w.path("removed").asInt(0), drift,
        w.hasNonNull("error") ? stored(w.get("error").asText()) : null);
  }

  /**
   * Text read back from a store (this file, or the cluster database, where another node or anyone with the role
   * may have written it): escaped and cut like network text before anything shows it.
   */
  private static String stored(String text) {
    return Sanitize.text(text, STORED_MAX);
  }

  private static Instant time(JsonNode n) {
    try {
      return n.path("time").isTextual() ? Instant.parse(n.get("time").asText()) : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static <E extends Enum<E>> E outcome(JsonNode n, Class<E> type) {
    try {
      return n.path("outcome").isTextual() ? Enum.valueOf(type, n.get("outcome").asText().toUpperCase(Locale.ROOT))
          : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void putTime(ObjectNode n, Instant time) {
    if (time != null) {
      n.put("time", time.toString());
    }
  }

  private static void putOutcome(ObjectNode n, Enum<?> outcome) {
    if (outcome != null) {
      n.put("outcome", Status.spell(outcome));
    }
  }
}

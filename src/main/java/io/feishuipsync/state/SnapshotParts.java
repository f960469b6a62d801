package io.feishuipsync.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.LastGood;
import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.core.SourceReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The snapshot's per-source lists and pending removals in JSON. Both are absent from older snapshots, which load
 * with none; anything malformed throws, so the whole snapshot is ignored rather than half trusted.
 */
final class SnapshotParts {

  /** A source label as the config accepts it; anything else in the file is not ours. */
  static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  private static final int MAX_SOURCES = 16;

  private SnapshotParts() {
  }

  static void write(Snapshot s, ObjectNode root) {
    if (!s.sources().isEmpty()) {
      ObjectNode sources = root.putObject("sources");
      s.sources().forEach((label, g) -> {
        ObjectNode o = sources.putObject(label);
        o.put("fetched_at", g.fetchedAt().toString());
        o.put("origin", g.origin());
        o.put("count", g.entries().size());
        ArrayNode e = o.putArray("entries");
        g.entries().forEach(r -> e.add(r.toString()));
      });
    }
    if (!s.pending().isEmpty()) {
      ArrayNode pending = root.putArray("pending");
      for (PendingRemoval p : s.pending()) {
        pending.addObject().put("address", p.address().toString()).put("missing_since", p.missingSince().toString())
            .put("misses", p.misses()).put("source", p.source());
      }
    }
  }

  static Map<String, LastGood> sources(JsonNode node) {
    Map<String, LastGood> out = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject() || node.size() > MAX_SOURCES) {
      throw new IllegalArgumentException("sources is not a mapping of at most " + MAX_SOURCES + " lists");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode o = f.getValue();
      if (!LABEL.matcher(f.getKey()).matches() || SourceReport.CONFIG.equals(f.getKey())
          || !o.path("entries").isArray() || !o.path("count").isInt()) {
        throw new IllegalArgumentException("sources holds an entry that is not a source's list");
      }
      TreeSet<IpRange> entries = new TreeSet<>();
      for (JsonNode e : o.get("entries")) {
        entries.add(IpRange.parse(e.asText()));
      }
      if (entries.size() != o.get("count").asInt()) {
        throw new IllegalArgumentException("a source's count differs from its entries");
      }
      out.put(f.getKey(), new LastGood(entries, Instant.parse(o.path("fetched_at").asText()),
          o.path("origin").asText("")));
    }
    return out;
  }

  static List<PendingRemoval> pending(JsonNode node) {
    List<PendingRemoval> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("pending is not a list");
    }
    for (JsonNode p : node) {
      int misses = p.path("misses").asInt(-1);
      if (misses < 1) {
        throw new IllegalArgumentException("a pending removal has no count of misses");
      }
      String source = p.path("source").asText("");
      if (!source.isEmpty()
          && !java.util.Arrays.stream(source.split(",", -1)).allMatch(l -> LABEL.matcher(l).matches())) {
        throw new IllegalArgumentException("a pending removal names a source that is not one");
      }
      out.add(new PendingRemoval(IpRange.parse(p.path("address").asText()),
          Instant.parse(p.path("missing_since").asText()), misses, source));
    }
    return out;
  }
}

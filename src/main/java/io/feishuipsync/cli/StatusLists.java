package io.feishuipsync.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.config.ListSettings;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.state.Snapshot;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The part of {@code status} about where the list came from: each source's last good list and its age, the
 * operator's own entries, and the removals still pending. Shown only when there is more than one source or
 * something pending, so a single-source status reads as before.
 */
final class StatusLists {

  private StatusLists() {
  }

  static void text(Snapshot s, ListSettings.Timings t, Instant now, PrintStream out) {
    if (s.sources().size() > 1 || own(s) > 0) {
      out.println("sources:");
      s.sources().forEach((label, g) -> out.printf(Locale.ROOT, "  %-12s %6d entries, fetched %s (%s ago)%s%n",
          label, g.entries().size(), g.fetchedAt(), age(g.fetchedAt(), now),
          old(g.fetchedAt(), t, now) ? ", older than sources.max_age " + Durations.format(t.maxAge()) : ""));
      if (own(s) > 0) {
        out.printf(Locale.ROOT, "  %-12s %6d entries (also_allow)%n", "config", own(s));
      }
    }
    if (!s.pending().isEmpty()) {
      out.println("pending removals:");
      for (PendingRemoval p : s.pending()) {
        out.printf(Locale.ROOT, "  %-40s missing since %s (%d of %d fetches), removable after %s%n", p.address(),
            p.missingSince(), Math.min(p.misses(), t.removal().confirmations()), t.removal().confirmations(),
            p.removableAfter(t.removal()));
      }
    }
  }

  static void json(Snapshot s, ListSettings.Timings t, Instant now, ObjectNode snap) {
    if (s.sources().size() > 1 || own(s) > 0) {
      ObjectNode sources = snap.putObject("sources");
      s.sources().forEach((label, g) -> sources.putObject(label).put("entries", g.entries().size())
          .put("fetched_at", g.fetchedAt().toString()).put("age_seconds", Duration.between(g.fetchedAt(), now)
              .toSeconds()).put("stale", old(g.fetchedAt(), t, now)));
      sources.putObject("config").put("entries", own(s));
    }
    if (!s.pending().isEmpty()) {
      ArrayNode pending = snap.putArray("pending_removals");
      for (PendingRemoval p : s.pending()) {
        pending.addObject().put("address", p.address().toString()).put("missing_since", p.missingSince().toString())
            .put("misses", p.misses()).put("removable_after", p.removableAfter(t.removal()).toString());
      }
    }
  }

  /** Entries of the snapshot no source lists and none pending: the operator's own. */
  private static int own(Snapshot s) {
    SortedSet<IpRange> own = new TreeSet<>(s.entries());
    s.sources().values().forEach(g -> own.removeAll(g.entries()));
    s.pending().forEach(p -> own.remove(p.address()));
    return s.sources().isEmpty() ? 0 : own.size();
  }

  private static boolean old(Instant fetched, ListSettings.Timings t, Instant now) {
    return Duration.between(fetched, now).compareTo(t.maxAge()) > 0;
  }

  private static String age(Instant fetched, Instant now) {
    long s = Math.max(0, Duration.between(fetched, now).toSeconds());
    return s >= 86_400 ? s / 86_400 + "d" + (s % 86_400) / 3600 + "h" : s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60
        + "m" : s >= 60 ? s / 60 + "m" : s + "s";
  }
}

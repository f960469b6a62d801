package io.feishuipsync.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SourceReport;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.state.AtomicFiles;
import io.feishuipsync.state.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people what matters, once: the list changed; a guard refused a change; syncs keep failing (after
 * {@code failures_before_alert} in a row); and, once, that they recovered. At most one message of a kind per
 * {@code min_interval}. Its memory lives in the state directory, so restarts and one-shot syncs do not repeat alerts.
 */
public final class Notifier {

  private static final Logger log = LoggerFactory.getLogger(Notifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LISTED = 20;

  private final List<Channel> channels;
  private final int failuresBeforeAlert;
  private final Duration minInterval;
  private final Path stateFile;
  private final Clock clock;
  private final Duration maxAge;
  private final String scope;

  public Notifier(NotifySettings settings, Path stateDir, Clock clock) {
    this(settings, stateDir, clock, Duration.ofHours(48));
  }

  /** A notifier that also says when a source's last good list is older than {@code maxAge} (sources.max_age). */
  public Notifier(NotifySettings settings, Path stateDir, Clock clock, Duration maxAge) {
    this.channels = new ArrayList<>();
    if (settings.feishuBot() != null) {
      channels.add(new FeishuBotChannel(new ChannelTarget(settings.feishuBot(), clock)));
    }
    if (settings.webhook() != null) {
      channels.add(new WebhookChannel(new ChannelTarget(settings.webhook(), clock)));
    }
    this.failuresBeforeAlert = settings.failuresBeforeAlert();
    this.minInterval = settings.minInterval();
    this.stateFile = stateDir.resolve("notify.json");
    this.clock = clock;
    this.maxAge = maxAge;
    this.scope = "";
  }

  private Notifier(Notifier of, Path stateFile, String scope) {
    this.channels = of.channels;
    this.failuresBeforeAlert = of.failuresBeforeAlert;
    this.minInterval = of.minInterval;
    this.stateFile = stateFile;
    this.clock = of.clock;
    this.maxAge = of.maxAge;
    this.scope = scope;
  }

  /**
   * The same channels for the cluster writers' runs: their own memory ({@code notify-cluster.json}), so a failing
   * cloud writer and a failing host sync alert and recover apart, and messages that say they are the cluster's.
   */
  public Notifier forCluster() {
    return new Notifier(this, stateFile.resolveSibling("notify-cluster.json"), "cluster writers: ");
  }

  /**
   * Looks at one run's result and sends what it calls for. Never throws. {@code consecutiveFailures} is the count
   * {@code status.json} holds after the run ({@link SyncResult.Outcome#consecutiveFailures}).
   */
  public synchronized void after(SyncResult r, int consecutiveFailures) {
    if (channels.isEmpty() || r.dryRun()) {
      return;
    }
    ObjectNode state = load();
    List<Event> events = new ArrayList<>();
    boolean alerting = state.path("alerting").asBoolean(false);
    if (r.outcome() == SyncResult.Outcome.SUCCESS || r.outcome() == SyncResult.Outcome.PARTIAL) {
      if (alerting) {
        events.add(new Event("recovered", "syncs work again: " + r.message(), r.total(), List.of(), List.of(), 0));
        state.put("alerting", false);
      }
    }
    if (r.outcome() == SyncResult.Outcome.SUCCESS || r.outcome() == SyncResult.Outcome.PARTIAL) {
      if (r.applied() && (!r.added().isEmpty() || !r.removed().isEmpty())) {
        events.add(new Event("changed", changeText(r), r.total(), strings(r.added()), strings(r.removed()), 0));
      }
    } else if (r.outcome() == SyncResult.Outcome.REFUSED) {
      if (!r.message().equals(state.path("last_refusal").asText(null)) || due(state, "refused")) {
        events.add(new Event("refused", r.message(), r.total(), strings(r.added()), strings(r.removed()),
            consecutiveFailures));
        state.put("last_refusal", r.message());
      }
    } else if (r.outcome().isFailure() && consecutiveFailures >= failuresBeforeAlert && !alerting) {
      events.add(new Event("failing", consecutiveFailures + " syncs failed since the last successful one; the"
          + " firewall keeps the last good list. Last error: " + r.message(), r.total(), List.of(), List.of(),
          consecutiveFailures));
      state.put("alerting", true);
    }
    for (SourceReport s : r.sources()) {
      if (s.state() == SourceReport.State.STALE && s.fetchedAt().plus(maxAge).isBefore(clock.instant())) {
        // One message for every stale source, at most once per min_interval.
        events.add(new Event("stale", "source " + s.label() + ": its last good list is from " + s.fetchedAt()
            + ", older than sources.max_age " + Durations.format(maxAge) + "; it stays applied, but its fetches"
            + " fail: " + s.error(), r.total(), List.of(), List.of(), consecutiveFailures));
        break;
      }
    }
    for (Event e : events) {
      if (!due(state, e.kind()) && !e.kind().equals("recovered") && !e.kind().equals("failing")) {
        log.info("notification '{}' suppressed: one was sent less than {} ago", e.kind(), minInterval);
        continue;
      }
      sendAll(scope.isEmpty() ? e : new Event(e.kind(), scope + e.text(), e.total(), e.added(), e.removed(),
          e.consecutiveFailures()));
      state.put("sent_" + e.kind(), clock.instant().toString());
    }
    save(state);
  }

  /** Sends {@code e} to every channel; one failing does not keep the others from getting it. */
  private void sendAll(Event e) {
    for (Channel c : channels) {
      try {
        c.send(e);
        log.info("notified {}: {}", c.name(), e.kind());
      } catch (IOException | RuntimeException ex) {
        // The message may quote the receiver's answer: network text.
        log.warn("cannot notify {}: {}", c.name(), Sanitize.text(ex.getMessage()));
      }
    }
  }

  /**
   * Says that the enforcement check found a local writer holding something else than the applied list and put it
   * back ({@code wrong} says what it found), or could not ({@code error}). At most one message of each kind per
   * {@code min_interval}: a tool that flushes the ruleset every minute must not flood the chat; the next message
   * counts the repairs it did not report. Never throws.
   */
  public synchronized void enforced(String writer, List<String> wrong, String error) {
    if (channels.isEmpty()) {
      return;
    }
    ObjectNode state = load();
    String kind = error == null ? "repaired" : "repair_failing";
    long unsaid = state.path("unsaid_" + kind).asLong(0);
    if (!due(state, kind)) {
      state.put("unsaid_" + kind, unsaid + 1);
      save(state);
      return;
    }
    String what = String.join("; ", wrong);
    String text = error == null
        ? writer + " held something else than the applied list and was put back: " + what
        : writer + " differs from the applied list and " + error + (what.isEmpty() ? "" : " (" + what + ")");
    if (unsaid > 0) {
      text += " (" + unsaid + " more since the last message of this kind)";
    }
    sendAll(new Event(kind, scope + text, 0, List.of(), List.of(), 0));
    state.put("sent_" + kind, clock.instant().toString());
    state.put("unsaid_" + kind, 0);
    save(state);
  }

  /**
   * Says once that this node's cluster job stopped being able to run (the cluster database is unreachable) or can
   * run again; a node that stays down or up sends nothing more. Never throws.
   */
  public synchronized void cluster(boolean running, String reason) {
    if (channels.isEmpty()) {
      return;
    }
    ObjectNode state = load();
    boolean wasDown = state.path("cluster_down").asBoolean(false);
    if (running == !wasDown) {
      return;
    }
    Event e = running ? new Event("cluster_up", "the cluster job can run on this node again: " + reason, 0,
        List.of(), List.of(), 0)
        : new Event("cluster_down", "the cluster job cannot run on this node (host writers go on): " + reason, 0,
            List.of(), List.of(), 0);
    sendAll(e);
    state.put("cluster_down", !running);
    save(state);
  }

  private boolean due(ObjectNode state, String kind) {
    String last = state.path("sent_" + kind).asText(null);
    return last == null || Instant.parse(last).plus(minInterval).isBefore(clock.instant());
  }

  private static String changeText(SyncResult r) {
    return String.format(Locale.ROOT, "the Feishu callback address list changed: +%d -%d, %d entries now. Added: %s."
        + " Removed: %s.", r.added().size(), r.removed().size(), r.total(), listed(r.added()), listed(r.removed()));
  }

  private static String listed(java.util.Set<IpRange> s) {
    if (s.isEmpty()) {
      return "none";
    }
    List<String> all = strings(s);
    return all.size() <= MAX_LISTED ? String.join(", ", all)
        : String.join(", ", all.subList(0, MAX_LISTED)) + " and " + (all.size() - MAX_LISTED) + " more";
  }

  private static List<String> strings(java.util.Set<IpRange> s) {
    return s.stream().map(IpRange::toString).toList();
  }

  private ObjectNode load() {
    try {
      if (Files.exists(stateFile, LinkOption.NOFOLLOW_LINKS)) {
        return (ObjectNode) JSON.readTree(SafeFiles.read(stateFile));
      }
    } catch (IOException | ClassCastException e) {
      log.warn("ignoring unreadable {}: {}", stateFile, e.getMessage());
    }
    return JSON.createObjectNode();
  }

  private void save(ObjectNode state) {
    try {
      AtomicFiles.write(stateFile, JSON.writeValueAsBytes(state), 0600);
    } catch (IOException e) {
      log.warn("cannot save {}: {}", stateFile, e.getMessage());
    }
  }
}

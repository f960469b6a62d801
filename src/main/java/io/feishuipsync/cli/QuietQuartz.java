package io.feishuipsync.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.feishuipsync.core.Sanitize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Quartz's JDBC job store logs a stack trace every check-in while the cluster database is down, though the node
 * has already said so in one line: each of Quartz's failures becomes one line, and the same one again only after
 * {@link #REPEAT} has passed.
 */
final class QuietQuartz extends TurboFilter {

  static final Duration REPEAT = Duration.ofMinutes(10);
  private static final int REMEMBERED = 64;
  private static final org.slf4j.Logger log = LoggerFactory.getLogger("quartz");

  private final Clock clock;
  private final Map<String, Instant> lastSaid = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > REMEMBERED;
    }
  };

  QuietQuartz(Clock clock) {
    this.clock = clock;
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
      Throwable thrown) {
    // Quartz passes the exception either as such or as the last argument of a format ("... {}", msg, e).
    Throwable t = thrown != null ? thrown
        : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
    if (t == null || !logger.getName().startsWith("org.quartz") || !level.isGreaterOrEqual(Level.WARN)) {
      return FilterReply.NEUTRAL;
    }
    String key = logger.getName() + "|" + format;
    Instant now = clock.instant();
    boolean say;
    synchronized (lastSaid) {
      Instant last = lastSaid.get(key);
      say = last == null || !now.isBefore(last.plus(REPEAT));
      if (say) {
        lastSaid.put(key, now);
      }
    }
    if (say) {
      Throwable root = t;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String line = Sanitize.text(logger.getName().substring(logger.getName().lastIndexOf('.') + 1) + ": "
          + (format == null ? "" : format) + " (" + root + "); the same is not logged again for "
          + REPEAT.toMinutes() + "m");
      if (level.isGreaterOrEqual(Level.ERROR)) {
        log.error("{}", line);
      } else {
        log.warn("{}", line);
      }
    }
    return FilterReply.DENY;
  }
}

package io.feishuipsync.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the config's durations: a whole number and a unit, e.g. {@code 500ms}, {@code 30s}, {@code 15m}, {@code 6h}, {@code 1d}. */
public final class Durations {

  private static final Pattern FORM = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text} or throws {@link ConfigException} naming {@code key}. */
  public static Duration parse(String key, String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new ConfigException(key, "'" + text + "' is not a duration; write a number and a unit, e.g. 30s, 15m, 6h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** {@code text} parsed and greater than zero, or {@code fallback} when absent. */
  public static Duration positive(String key, String text, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    Duration d = parse(key, text);
    if (d.isZero()) {
      throw new ConfigException(key, "must be greater than zero");
    }
    return d;
  }

  /** Formats as the largest whole unit, the inverse of {@link #parse}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}

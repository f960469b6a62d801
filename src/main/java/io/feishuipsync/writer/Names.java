package io.feishuipsync.writer;

import io.feishuipsync.core.ConfigException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validation of names that reach firewall commands (tables, chains, sets; nothing else is ever interpolated), and the
 * names of the shared objects a writer owns rules in.
 */
public final class Names {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,27}");

  private Names() {}

  /** {@code value}, or {@code fallback} when null, checked to be a plain identifier of at most 28 characters. */
  public static String identifier(String key, String value, String fallback) {
    String v = value == null ? fallback : value;
    if (!IDENTIFIER.matcher(v).matches()) {
      throw new ConfigException(key, "'" + v.replaceAll("\\p{Cntrl}", "?")
          + "' is not a valid name (a letter, then letters, digits, _ or -, at most 28 characters)");
    }
    return v;
  }

  /** What a writer that owns the rules carrying {@code marker} in each of {@code groups} (of {@code kind}) targets. */
  public static Set<String> marked(String kind, List<String> groups, String marker) {
    return groups.stream().map(g -> kind + " " + g + " (rules marked '" + marker + "')")
        .collect(Collectors.toUnmodifiableSet());
  }
}

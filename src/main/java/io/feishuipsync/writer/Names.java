package io.feishuipsync.writer;

import io.feishuipsync.core.ConfigException;
import java.util.regex.Pattern;

/** Validation of names that reach firewall commands: tables, chains, sets. Nothing else is ever interpolated. */
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
}

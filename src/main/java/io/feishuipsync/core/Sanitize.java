package io.feishuipsync.core;

/**
 * Makes text that came from the network (Feishu's {@code msg} and log ids, AWS error messages, webhook answers) safe
 * to log, store and send: one line, no terminal escapes, no bidirectional overrides, bounded length. Applying it
 * twice changes nothing more.
 */
public final class Sanitize {

  /** Longest text kept from one network string by default. */
  public static final int DEFAULT_MAX = 300;
  private static final String CUT = "...";

  private Sanitize() {}

  /** {@code raw} with control and format characters escaped, cut to {@link #DEFAULT_MAX}; null stays null. */
  public static String text(String raw) {
    return text(raw, DEFAULT_MAX);
  }

  /**
   * {@code raw} with control characters (C0, DEL, C1), format characters (bidi overrides and isolates, zero-width
   * characters), line and paragraph separators and lone surrogates escaped as {@code \n}, {@code \r}, {@code \t} or
   * {@code \}{@code uXXXX}, then cut to at most {@code max} characters (ending in {@code ...} when cut); null stays
   * null.
   */
  public static String text(String raw, int max) {
    if (raw == null) {
      return null;
    }
    int limit = Math.max(max, CUT.length() + 1);
    StringBuilder out = new StringBuilder(Math.min(raw.length(), limit) + 8);
    int fits = 0;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      String escaped = escape(cp);
      if (escaped != null) {
        out.append(escaped);
      } else {
        out.appendCodePoint(cp);
      }
      if (out.length() <= limit - CUT.length()) {
        fits = out.length();
      }
      if (out.length() > limit) {
        out.setLength(fits);
        return out.append(CUT).toString();
      }
    }
    return out.toString();
  }

  private static String escape(int cp) {
    switch (cp) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    int type = Character.getType(cp);
    boolean unsafe = type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    return unsafe ? String.format("\\u%04x", cp) : null;
  }
}

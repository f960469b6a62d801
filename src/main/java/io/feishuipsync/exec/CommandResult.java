package io.feishuipsync.exec;

import java.util.List;

/** What a finished command returned. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {

  /** Longest part of a tool's message quoted in an error line. */
  static final int MAX_QUOTED = 300;

  public boolean ok() {
    return exitCode == 0;
  }

  /**
   * One line for an error message: the program, its exit code and the tool's own error (the first line of stderr
   * that is not a {@code #} comment such as iptables' flavour warning), control characters escaped, length capped.
   */
  public String describeFailure() {
    String said = toolError();
    return argv.get(0) + " exited " + exitCode + (said.isEmpty() ? "" : ": " + said);
  }

  /** The tool's own error line, sanitized as in {@link #describeFailure()}; empty when it printed none. */
  public String toolError() {
    List<String> lines = stderr == null ? List.of() : stderr.lines().map(String::strip).filter(l -> !l.isEmpty())
        .toList();
    String line = lines.stream().filter(l -> !l.startsWith("#")).findFirst()
        .orElse(lines.isEmpty() ? "" : lines.get(0));
    return oneLine(line);
  }

  private static String oneLine(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        out.append(c < 0x100 ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.length() > MAX_QUOTED ? out.substring(0, MAX_QUOTED) + "..." : out.toString();
  }
}

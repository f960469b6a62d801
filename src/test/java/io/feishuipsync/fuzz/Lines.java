package io.feishuipsync.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** What every error message a fuzz target provokes must be: one line, no control characters. */
public final class Lines {

  private Lines() {}

  /** Fails unless {@code message} is one line of printable text. */
  public static void oneClearLine(String message) {
    assertFalse(message == null || message.isBlank(), "an error says something");
    assertFalse(message.chars().anyMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)
        || c == 0x2028 || c == 0x2029 || c == 0x202e), "one clean line: " + message.replaceAll("\\p{Cntrl}", "?"));
  }
}

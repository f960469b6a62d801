package io.feishuipsync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SanitizeTest {

  @Test
  void newlinesAndTerminalEscapesBecomeVisibleEscapes() {
    assertEquals("ok\\n2026-01-01 ERROR forged\\r \\u001b[31mred\\u001b[0m\\t.",
        Sanitize.text("ok\n2026-01-01 ERROR forged\r \u001b[31mred\u001b[0m\t."));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x7f, 0x85, 0x9b, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
      0x200e, 0x200f, 0x2028, 0x2029, 0xfeff, 0xd800})
  void controlFormatAndBidiCharactersAreEscaped(int cp) {
    String s = Sanitize.text("a" + (char) cp + "b");
    assertEquals("a\\u" + String.format("%04x", cp) + "b", s);
  }

  @Test
  void ordinaryTextIncludingChineseAndEmojiIsKept() {
    String s = "参数无效 param is invalid 🙂 \"quoted\" back\\slash";
    assertEquals(s, Sanitize.text(s));
  }

  @Test
  void longTextIsCutWithAMarker() {
    String s = Sanitize.text("x".repeat(10_000), 50);
    assertEquals(50, s.length());
    assertTrue(s.endsWith("..."));
    assertEquals(Sanitize.DEFAULT_MAX, Sanitize.text("y".repeat(1_000_000)).length());
  }

  @Test
  void cutNeverSplitsAnEscapeOrASurrogatePair() {
    assertEquals("ab...", Sanitize.text("ab\u001b\u001b\u001b\u001b", 8));
    assertEquals("a...", Sanitize.text("a🙂🙂🙂", 5));
  }

  @Test
  void sanitizingTwiceChangesNothingMore() {
    String once = Sanitize.text("a\nb\u202e" + "z".repeat(400));
    assertEquals(once, Sanitize.text(once));
  }

  @Test
  void nullStaysNull() {
    assertNull(Sanitize.text(null));
  }
}

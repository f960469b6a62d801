package io.feishuipsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps every main source file small enough to read in one sitting (issue 17). */
class SourceSizeTest {

  private static final int MAX_LINES = 300;

  @Test
  void noMainSourceFileIsLongerThan300Lines() throws IOException {
    Path main = Path.of("src/main/java");
    assertTrue(Files.isDirectory(main), "run from the project directory");
    List<String> tooLong;
    try (var files = Files.walk(main)) {
      tooLong = files.filter(p -> p.toString().endsWith(".java")).filter(p -> lines(p) > MAX_LINES)
          .map(p -> main.relativize(p) + " (" + lines(p) + " lines)").sorted().toList();
    }
    assertEquals(List.of(), tooLong, "split these by responsibility");
  }

  private static long lines(Path p) {
    try (var l = Files.lines(p)) {
      return l.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

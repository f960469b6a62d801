package io.feishuipsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.SourceTypes;
import io.feishuipsync.cli.WriterTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer examples the sample config shows commented out: each one, uncommented as an operator would, is a valid
 * writer, and every registered writer type has one.
 */
class SampleConfigWritersTest {

  @TempDir
  Path dir;

  @Test
  void everyCommentedWriterExampleLoadsAsItIsShown() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("config/feishu-ipsync.yaml"));
    List<String> examples = new ArrayList<>();
    StringBuilder current = null;
    for (String line : lines) {
      if (line.startsWith("  # - type: ")) {
        current = new StringBuilder();
        examples.add(null);
      }
      if (current != null && (line.startsWith("  # - ") || line.startsWith("  #   "))) {
        current.append("  ").append(line.substring(4)).append('\n');
        examples.set(examples.size() - 1, current.toString());
      } else if (current != null) {
        current = null;
      }
    }
    Set<String> shown = new TreeSet<>(List.of("file"));
    for (String example : examples) {
      String yaml = """
          feishu:
            app_id: cli_example
            app_secret: x
          state_dir: %s
          writers:
          %s""".formatted(dir.resolve("state"), example);
      Config c = new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, Map.<String, String>of()::get)
          .parse(yaml, dir.resolve("config.yaml"));
      assertEquals(1, c.writers().size(), example);
      shown.add(c.writers().get(0).type().type());
    }
    assertTrue(examples.size() >= 5, "examples found: " + examples.size());
    assertEquals(new TreeSet<>(WriterTypes.ALL.typeNames()), shown, "every writer type has an example");
  }
}

package io.feishuipsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.feishuipsync.cli.SourceTypes;
import io.feishuipsync.cli.WriterTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender examples the sample config shows commented out: each one, uncommented as an operator would (its
 * {@code ${ENV}} set), is a valid sender, and every registered sender type but Feishu's own section has one.
 */
class SampleConfigSendersTest {

  @TempDir
  Path dir;

  @Test
  void everyCommentedSenderExampleLoadsAsItIsShown() throws Exception {
    List<String> examples = new ArrayList<>();
    StringBuilder current = null;
    for (String line : Files.readAllLines(Path.of("config/feishu-ipsync.yaml"))) {
      if (line.startsWith("#   - type: ")) {
        current = new StringBuilder();
        examples.add(null);
      }
      if (current != null && (line.startsWith("#   - ") || line.startsWith("#     "))) {
        current.append(line.substring(1)).append('\n');
        examples.set(examples.size() - 1, current.toString());
      } else if (current != null) {
        current = null;
      }
    }
    Set<String> shown = new TreeSet<>(List.of("feishu"));
    for (String example : examples) {
      String yaml = "senders:\n" + example + "state_dir: " + dir.resolve("state") + "\nwriters:\n"
          + "  - type: dryrun\n";
      Config c = new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, name -> "example-value")
          .parse(yaml, dir.resolve("config.yaml"));
      assertEquals(1, c.lists().senders().size(), example);
      shown.add(c.lists().senders().get(0).type().type());
    }
    assertEquals(new TreeSet<>(SourceTypes.ALL.typeNames()), shown, "every sender type has an example");
  }
}

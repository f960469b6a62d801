package io.feishuipsync.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.properties.Ranges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * What the file writer reads back of what it wrote is what it was asked to hold, in both formats, for random lists
 * of both families converged one after another (each list starting from the previous one's file).
 */
class ReadBackProperties {

  Path dir;

  @BeforeProperty
  void makeDir() throws Exception {
    dir = Files.createTempDirectory("readback");
  }

  @AfterProperty
  void removeDir() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<List<SortedSet<IpRange>>> lists() {
    return Ranges.lists(40).map(AddressSets::withoutCovered).list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 150)
  void theFileWriterReadsBackExactlyWhatItWrote(@ForAll("lists") List<SortedSet<IpRange>> lists,
      @ForAll boolean nginx) throws Exception {
    Writer w = WriterFixtures.writer("file", "{path: " + dir.resolve("allow.conf") + ", format: "
        + (nginx ? "nginx" : "plain") + "}", new ProcessCommandRunner());
    for (SortedSet<IpRange> list : lists) {
      WriterFixtures.converge(w, list);
      assertEquals(w.scope(list), w.read().entries());
      assertTrue(w.read().inSync(w.scope(list)), "nothing else amiss");
    }
  }
}

package io.feishuipsync.writer;

import io.feishuipsync.cli.WriterTypes;
import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.CommandRunner;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.TreeSet;

/** What writer tests share: writers built from YAML as the config builds them, one converge step. */
public final class WriterFixtures {

  private WriterFixtures() {}

  /** A writer of registered {@code type} from the YAML of its settings, running commands with {@code runner}. */
  public static Writer writer(String type, String yaml, CommandRunner runner) throws Exception {
    return create(WriterTypes.ALL.find(type).orElseThrow(), yaml, runner);
  }

  /** A writer of registered {@code type} from the YAML of its settings, built in {@code context}. */
  public static Writer writerIn(String type, String yaml, WriterContext context) throws Exception {
    return create(WriterTypes.ALL.find(type).orElseThrow(), yaml, context);
  }

  private static Writer create(WriterType<?> t, String yaml, CommandRunner runner) throws Exception {
    return create(t, yaml, new WriterContext(runner, Path.of("/tmp"), TreeSet::new));
  }

  private static <C> Writer create(WriterType<C> t, String yaml, WriterContext context) throws Exception {
    C settings = ConfigLoader.mapper().treeToValue(ConfigLoader.mapper().readTree(yaml), t.settingsClass());
    return t.create(settings, context);
  }

  /** What one sync does to one writer: check, read back, apply when the target differs. */
  public static void converge(Writer w, SortedSet<IpRange> list) throws WriterException {
    w.check();
    SortedSet<IpRange> desired = w.scope(list);
    Holding h = w.read();
    if (!h.inSync(desired)) {
      w.apply(desired, ChangeSet.between(h.entries(), desired));
    }
  }
}

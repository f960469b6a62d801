package io.feishuipsync.writer.tencent;

import io.feishuipsync.writer.WriterContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/** Writer contexts for the Tencent Cloud tests. */
final class TencentTests {

  /** No systemd credentials. */
  static final WriterContext NO_CREDENTIALS = context(Map.of());

  private TencentTests() {}

  /** A context whose credentials directory is {@code env}'s {@code CREDENTIALS_DIRECTORY}, if any. */
  static WriterContext context(Map<String, String> env) {
    String dir = env.get("CREDENTIALS_DIRECTORY");
    return new WriterContext(null, Path.of("/tmp"), TreeSet::new, false, dir == null ? null : Path.of(dir));
  }
}

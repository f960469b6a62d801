package io.feishuipsync.writer.dryrun;

import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;

/** {@code type: dryrun}: a writer that applies nothing and logs what it would do. */
public final class DryRunWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE = WriterType.of("dryrun", Settings.class, DryRunWriterType::create);

  /** No settings. */
  public record Settings() {}

  private DryRunWriterType() {}

  private static Writer create(Settings settings, WriterContext context) {
    return new DryRunWriter(context.lastApplied());
  }
}

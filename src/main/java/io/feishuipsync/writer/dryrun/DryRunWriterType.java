package io.feishuipsync.writer.dryrun;

import io.feishuipsync.writer.Writer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;

/** {@code type: dryrun}: a writer that applies nothing and logs what it would do. */
public final class DryRunWriterType implements WriterType<DryRunWriterType.Settings> {

  /** No settings. */
  public record Settings() {}

  @Override
  public String type() {
    return "dryrun";
  }

  @Override
  public Class<Settings> settingsClass() {
    return Settings.class;
  }

  @Override
  public Writer create(Settings settings, WriterContext context) {
    return new DryRunWriter(context.lastApplied());
  }
}

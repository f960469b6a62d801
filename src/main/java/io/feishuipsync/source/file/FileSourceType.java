package io.feishuipsync.source.file;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.source.Source;
import io.feishuipsync.source.SourceContext;
import io.feishuipsync.source.SourceType;
import io.feishuipsync.source.http.ListFormat;
import java.nio.file.Path;

/**
 * {@code type: file}: a list another tool keeps in a local file, in the formats of {@code url}; read without
 * following a link, capped, and checked like any answer.
 */
public final class FileSourceType {

  /** Its registration in {@code cli.SourceTypes}: held to the top-level validation, Feishu's prefix lengths. */
  public static final SourceType<Settings> TYPE = new SourceType<>("file", Settings.class, FileSourceType::create,
      EntryPolicy.DEFAULT_MIN_PREFIX_V4, EntryPolicy.DEFAULT_MIN_PREFIX_V6);

  /**
   * Settings of a file sender.
   *
   * @param path the absolute path of the list
   * @param format {@code lines} (default) or {@code json}, with {@code pointer}, {@code field}, {@code match} and
   *     {@code address_field} as for {@code url}
   */
  public record Settings(String path, String format, String pointer, String field, String match,
      String addressField) {}

  private FileSourceType() {}

  private static Source create(Settings s, SourceContext context) {
    if (s.path() == null || s.path().isBlank()) {
      throw new ConfigException("path", "missing; the file that holds the list");
    }
    Path p = Path.of(s.path());
    if (!p.isAbsolute() || p.getFileName() == null || !p.normalize().equals(p)) {
      throw new ConfigException("path", "must be an absolute file path without . or .., got '" + s.path() + "'");
    }
    return new FileSource(p, ListFormat.of(s.format(), s.pointer(), s.field(), s.match(), s.addressField()),
        context.clock());
  }
}

package io.feishuipsync.writer.file;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** {@code type: file}: the allowlist as a file, for reverse proxies (nginx {@code include}) and scripts. */
public final class FileWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE = WriterType.of("file", Settings.class, FileWriterType::create);

  /**
   * Settings of a file writer.
   *
   * @param path absolute path of the file
   * @param format {@code plain} (one CIDR per line) or {@code nginx} ({@code allow CIDR;} lines)
   * @param onChange command run (without a shell) after the file changed, e.g. {@code [nginx, -s, reload]}
   * @param onChangeTimeout how long the command may run (default 60s)
   * @param mode octal permissions of the file (default 0644)
   * @param allowSharedDirectory write even where another account may write the directory (default false)
   */
  public record Settings(String path, String format, List<String> onChange, String onChangeTimeout, String mode,
      Boolean allowSharedDirectory) {}

  private FileWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    if (s.path() == null || s.path().isBlank()) {
      throw new ConfigException("path", "missing; the file to write, e.g. /etc/nginx/feishu-allow.conf");
    }
    Path path = Path.of(s.path());
    if (!path.isAbsolute() || path.getFileName() == null) {
      throw new ConfigException("path", "must be an absolute file path, got '" + s.path() + "'");
    }
    FileFormat format;
    try {
      format = FileFormat.valueOf((s.format() == null ? "plain" : s.format()).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("format", "'" + s.format() + "' is not one of: plain, nginx");
    }
    List<String> command = s.onChange() == null ? List.of() : List.copyOf(s.onChange());
    for (int i = 0; i < command.size(); i++) {
      if (command.get(i) == null || command.get(i).isEmpty() || command.get(i).indexOf('\0') >= 0) {
        throw new ConfigException("on_change[" + i + "]", "must be a non-empty argument");
      }
    }
    Duration timeout = s.onChangeTimeout() == null
        ? Duration.ofSeconds(60) : Durations.parse("on_change_timeout", s.onChangeTimeout());
    int mode = parseMode(s.mode());
    return new FileWriter(path, format, command, timeout, mode, Boolean.TRUE.equals(s.allowSharedDirectory()),
        context.stateDir(), context.runner());
  }

  private static int parseMode(String text) {
    if (text == null) {
      return 0644;
    }
    if (!text.matches("0?[0-7]{3}")) {
      throw new ConfigException("mode", "'" + text + "' is not an octal file mode like 0644");
    }
    int mode = Integer.parseInt(text, 8);
    if ((mode & 0022) != 0) {
      throw new ConfigException("mode", text + " lets others write the allowlist; use 0644 or stricter");
    }
    return mode;
  }
}

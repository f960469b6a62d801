package io.feishuipsync.writer;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.state.DirectoryTrust;
import io.feishuipsync.state.FileErrors;
import io.feishuipsync.state.SafeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A writer's credential as the config gives it, resolved the way the other secrets are: the value (best as
 * {@code ${ENV}}, substituted by the config), else a file, else a systemd credential in
 * {@code $CREDENTIALS_DIRECTORY}. A secret's value never appears in a message.
 */
public final class WriterSecret {

  private static final Logger log = LoggerFactory.getLogger(WriterSecret.class);

  /** Longest secret file read; a credential is a line. */
  private static final int MAX_BYTES = 8192;

  private WriterSecret() {}

  /**
   * The secret of {@code key} from {@code value}, the file {@code file} (key {@code key + "_file"}), or the systemd
   * credential {@code credential}; null when none is set. {@code env} reads {@code CREDENTIALS_DIRECTORY}.
   */
  public static Secret resolve(String key, String value, String file, String credential,
      Function<String, String> env) {
    // An empty value (e.g. ${TENCENTCLOUD_SECRET_KEY:-} with the variable unset) means "look elsewhere".
    boolean literal = value != null && !value.isBlank();
    if (literal && file != null) {
      throw new ConfigException(key, "set either " + key + " or " + key + "_file, not both");
    }
    if (literal) {
      return Secret.of(value.strip());
    }
    if (file != null) {
      return fromFile(key + "_file", Path.of(file));
    }
    String dir = env.apply("CREDENTIALS_DIRECTORY");
    if (dir != null && !dir.isBlank() && Files.exists(Path.of(dir, credential))) {
      return fromFile("$CREDENTIALS_DIRECTORY/" + credential, Path.of(dir, credential));
    }
    return null;
  }

  /** Reads a secret file; in a directory another account may write, a link there is not followed. */
  private static Secret fromFile(String key, Path p) {
    try {
      Path parent = p.toAbsolutePath().getParent();
      boolean shared = parent != null && DirectoryTrust.forProcess(null).problem(parent).isPresent();
      if (Files.size(p) > MAX_BYTES) {
        throw new ConfigException(key, p + " is larger than " + MAX_BYTES + " bytes; it should hold one secret");
      }
      byte[] bytes = shared ? SafeFiles.read(p) : Files.readAllBytes(p);
      int mode = (Integer) Files.getAttribute(p, "unix:mode");
      if ((mode & 0004) != 0) {
        log.warn("{}: {} is readable by every account (mode {}); make it 0600, or 0640 with group feishu-ipsync",
            key, p, String.format(Locale.ROOT, "%04o", mode & 07777));
      }
      String s = new String(bytes, StandardCharsets.UTF_8).strip();
      if (s.isEmpty() || s.contains("\n")) {
        throw new ConfigException(key, p + (s.isEmpty() ? " is empty" : " holds more than one line"));
      }
      return Secret.of(s);
    } catch (NoSuchFileException e) {
      throw new ConfigException(key, p + " does not exist");
    } catch (FileSystemException e) {
      throw new ConfigException(key, "cannot read " + FileErrors.describe(e));
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + p + ": " + e.getClass().getSimpleName());
    }
  }
}

package io.feishuipsync.state;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the files an operator names (the config, secrets, keys) with the same care everywhere. */
public final class SecretFiles {

  private static final Logger log = LoggerFactory.getLogger(SecretFiles.class);

  /** Longest file read: a PEM chain fits many times over; anything larger was named by mistake. */
  private static final long MAX_FILE = 1 << 20;
  /** Longest secret: a credential is one line. */
  private static final int MAX_SECRET = 8192;

  private SecretFiles() {}

  /**
   * Reads a file the operator named. In a directory another account may write, a link there is not followed: it
   * could lead a run as root to any file, a secret one sent away as the secret. Elsewhere links are followed, as
   * mounted secrets and configuration management use them.
   */
  public static byte[] readGiven(Path p) throws IOException {
    Path parent = p.toAbsolutePath().getParent();
    Optional<String> shared = parent == null ? Optional.empty() : DirectoryTrust.forProcess(null).problem(parent);
    if (shared.isEmpty()) {
      return Files.readAllBytes(p);
    }
    if (Files.isSymbolicLink(p)) {
      throw new FileSystemException(p.toString(), null, "is a symbolic link, not followed: " + shared.get());
    }
    return SafeFiles.read(p);
  }

  /**
   * The bytes of secret file {@code p} for config key {@code key}, as {@link #readGiven} reads them; a missing or
   * unreadable file is a {@link ConfigException} naming the key, and a file every account may read is worth a
   * warning. The content never appears in a message.
   */
  public static byte[] readSecret(String key, Path p) {
    return read(key, p, true);
  }

  /** The bytes of file {@code p} (not a secret, e.g. a certificate) for config key {@code key}. */
  public static byte[] readPublic(String key, Path p) {
    return read(key, p, false);
  }

  private static byte[] read(String key, Path p, boolean secret) {
    try {
      if (Files.size(p) > MAX_FILE) {
        throw new ConfigException(key, p + " is larger than " + MAX_FILE + " bytes; name the right file");
      }
      byte[] bytes = readGiven(p);
      int mode = (Integer) Files.getAttribute(p, "unix:mode");
      if (secret && (mode & 0004) != 0) {
        log.warn("{}: {} is readable by every account (mode {}); make it 0600, or 0640 with group feishu-ipsync",
            key, p, String.format(Locale.ROOT, "%04o", mode & 07777));
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new ConfigException(key, p + " does not exist");
    } catch (FileSystemException e) {
      throw new ConfigException(key, "cannot read " + FileErrors.describe(e));
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + p + ": " + e.getClass().getSimpleName());
    }
  }

  /** Secret file {@code p} as one value, surrounding blanks stripped; an empty or multi-line file is refused. */
  public static Secret secret(String key, Path p) {
    byte[] bytes = readSecret(key, p);
    if (bytes.length > MAX_SECRET) {
      throw new ConfigException(key, p + " is larger than " + MAX_SECRET + " bytes; it should hold one secret");
    }
    String s = new String(bytes, StandardCharsets.UTF_8).strip();
    if (s.isEmpty() || s.contains("\n")) {
      throw new ConfigException(key, p + (s.isEmpty() ? " is empty" : " holds more than one line"));
    }
    return Secret.of(s);
  }
}

package io.feishuipsync.state;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import java.io.IOException;
import java.io.InputStream;
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

  /** systemd's credentials directory from the value of {@code $CREDENTIALS_DIRECTORY}; null when there is none. */
  public static Path credentialsDirectory(String value) {
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  /**
   * One secret of the config, found the same way for all of them: the value at {@code prefix + name} (blank, e.g. an
   * unset {@code ${VAR:-}}, means "look elsewhere"), else the file at {@code prefix + name + "_file"}, else the
   * systemd credential {@code credential} in {@code credentials} (null: none); null when none is set. A credential
   * systemd announced but this user cannot read is an error saying so. The value never appears in a message.
   */
  public static Secret find(String prefix, String name, String literal, String file, Path credentials,
      String credential) {
    boolean given = literal != null && !literal.isBlank();
    if (given && file != null) {
      throw new ConfigException(prefix + name, "set either " + name + " or " + name + "_file, not both");
    }
    if (given) {
      return Secret.of(literal.strip());
    }
    if (file != null) {
      return secret(prefix + name + "_file", Path.of(file));
    }
    if (credentials == null || credential == null) {
      return null;
    }
    Path p = credentials.resolve(credential);
    // notExists is false also when the directory cannot be searched: then the credential is there but unreadable.
    if (Files.notExists(p)) {
      return null;
    }
    requireReadableCredential(p, credential, prefix + name + "_file");
    return secret("$CREDENTIALS_DIRECTORY/" + credential, p);
  }

  /**
   * systemd announced a credential the service user cannot read: in a container {@code LoadCredential=} may fall
   * back to a root-only directory. Says so, with the path and the reason, and the way around it.
   */
  private static void requireReadableCredential(Path p, String credential, String fileKey) {
    try (InputStream in = Files.newInputStream(p)) {
      in.read();
    } catch (IOException e) {
      String why = e instanceof FileSystemException f && f.getFile() != null ? FileErrors.describe(e)
          : p + ": " + FileErrors.describe(e);
      throw new ConfigException("$CREDENTIALS_DIRECTORY/" + credential, "set, but the credential cannot be"
          + " read: " + why + "; systemd passed it where this user cannot read it (LoadCredential= in a container"
          + " can do that): use " + fileKey + " instead, a file of mode 0640 in group feishu-ipsync");
    }
  }
}

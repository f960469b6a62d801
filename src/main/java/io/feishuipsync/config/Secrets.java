package io.feishuipsync.config;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.state.FileErrors;
import io.feishuipsync.state.SecretFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Resolves every secret of the config in one place: a literal value, else a file, else a systemd credential in
 * {@code $CREDENTIALS_DIRECTORY}. A secret's value never appears in a message.
 */
final class Secrets {

  /** The systemd credential of a single app's secret; each app of a list has {@code app_secret_<name>}. */
  static final String CREDENTIAL_NAME = "app_secret";

  private final Function<String, String> env;

  Secrets(Function<String, String> env) {
    this.env = env;
  }

  /**
   * The secret of the app at {@code key} from {@code app_secret}, {@code app_secret_file} or the systemd credential
   * {@code credential}.
   */
  Secret appSecret(RawConfig.Feishu f, String key, String credential) {
    // An empty app_secret (e.g. ${FEISHU_APP_SECRET:-} with the variable unset) means "look elsewhere".
    boolean literal = f.appSecret() != null && !f.appSecret().isBlank();
    if (literal && f.appSecretFile() != null) {
      throw new ConfigException(key + ".app_secret", "set either app_secret or app_secret_file, not both");
    }
    if (literal) {
      return Secret.of(f.appSecret().strip());
    }
    if (f.appSecretFile() != null) {
      return fromFile(key + ".app_secret_file", Path.of(f.appSecretFile()));
    }
    String credentials = env.apply("CREDENTIALS_DIRECTORY");
    if (credentials != null && !credentials.isBlank()) {
      Path p = Path.of(credentials, credential);
      // notExists is false also when the directory cannot be searched: then the credential is there but unreadable.
      if (!Files.notExists(p)) {
        requireReadableCredential(p, credential, key);
        return fromFile("$CREDENTIALS_DIRECTORY/" + credential, p);
      }
    }
    throw new ConfigException(key + ".app_secret",
        "missing; set app_secret (e.g. ${FEISHU_APP_SECRET}), app_secret_file, or a systemd credential named "
            + credential);
  }

  /** The cluster database password from {@code password}, {@code password_file} or the credential. */
  Secret clusterPassword(RawConfig.Cluster c) {
    String credential = "cluster_password";
    boolean literal = c.password() != null && !c.password().isBlank();
    if (literal && c.passwordFile() != null) {
      throw new ConfigException("cluster.password", "set either password or password_file, not both");
    }
    if (literal) {
      return Secret.of(c.password().strip());
    }
    if (c.passwordFile() != null) {
      return fromFile("cluster.password_file", Path.of(c.passwordFile()));
    }
    String credentials = env.apply("CREDENTIALS_DIRECTORY");
    if (credentials != null && !credentials.isBlank() && !Files.notExists(Path.of(credentials, credential))) {
      return fromFile("$CREDENTIALS_DIRECTORY/" + credential, Path.of(credentials, credential));
    }
    throw new ConfigException("cluster.password", "missing; set password (e.g. ${FEISHU_IPSYNC_DB_PASSWORD}),"
        + " password_file, or a systemd credential named " + credential);
  }

  /** A notify channel's optional signing secret at {@code key}; null when none is set. */
  Secret channelSecret(String key, RawConfig.Channel c, String credential) {
    if (c.secret() != null && c.secretFile() != null) {
      throw new ConfigException(key + ".secret", "set either secret or secret_file, not both");
    }
    if (c.secret() != null && !c.secret().isBlank()) {
      return Secret.of(c.secret().strip());
    }
    if (c.secretFile() != null) {
      return fromFile(key + ".secret_file", Path.of(c.secretFile()));
    }
    String credentials = env.apply("CREDENTIALS_DIRECTORY");
    if (credentials != null && !credentials.isBlank() && Files.exists(Path.of(credentials, credential))) {
      return fromFile("$CREDENTIALS_DIRECTORY/" + credential, Path.of(credentials, credential));
    }
    return null;
  }

  /**
   * systemd announced a credential the service user cannot read: in a container {@code LoadCredential=} may fall
   * back to a root-only directory. Says so, with the path and the reason, and the way around it.
   */
  private static void requireReadableCredential(Path p, String credential, String key) {
    try (InputStream in = Files.newInputStream(p)) {
      in.read();
    } catch (IOException e) {
      String why = e instanceof FileSystemException f && f.getFile() != null ? FileErrors.describe(e)
          : p + ": " + FileErrors.describe(e);
      throw new ConfigException("$CREDENTIALS_DIRECTORY/" + credential, "set, but the credential cannot be"
          + " read: " + why + "; systemd passed it where this user cannot read it (LoadCredential= in a container"
          + " can do that): use " + key + ".app_secret_file instead, a file of mode 0640 in group feishu-ipsync");
    }
  }

  private static Secret fromFile(String key, Path p) {
    return SecretFiles.secret(key, p);
  }
}

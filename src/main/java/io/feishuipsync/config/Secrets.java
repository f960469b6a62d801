package io.feishuipsync.config;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.state.SecretFiles;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Resolves every secret of the config in one place: a literal value, else a file, else a systemd credential in
 * {@code $CREDENTIALS_DIRECTORY}. A secret's value never appears in a message.
 */
final class Secrets {

  private final Function<String, String> env;

  Secrets(Function<String, String> env) {
    this.env = env;
  }

  /** The cluster database password from {@code password}, {@code password_file} or the credential. */
  Secret clusterPassword(RawConfig.Cluster c) {
    String credential = "cluster_password";
    Secret s = SecretFiles.find("cluster.", "password", c.password(), c.passwordFile(), credentials(), credential);
    if (s == null) {
      throw new ConfigException("cluster.password", "missing; set password (e.g. ${FEISHU_IPSYNC_DB_PASSWORD}),"
          + " password_file, or a systemd credential named " + credential);
    }
    return s;
  }

  /** A notify channel's optional signing secret at {@code key}; null when none is set. */
  Secret channelSecret(String key, RawConfig.Channel c, String credential) {
    // Here even an empty secret beside a secret_file is a contradiction worth a line.
    if (c.secret() != null && c.secretFile() != null) {
      throw new ConfigException(key + ".secret", "set either secret or secret_file, not both");
    }
    return SecretFiles.find(key + ".", "secret", c.secret(), c.secretFile(), credentials(), credential);
  }

  private Path credentials() {
    return SecretFiles.credentialsDirectory(env.apply("CREDENTIALS_DIRECTORY"));
  }
}

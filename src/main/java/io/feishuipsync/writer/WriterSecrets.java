package io.feishuipsync.writer;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.state.SecretFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A writer's secret, found the way the app secret is: a literal value (best as {@code ${ENV}}), else a file, else a
 * systemd credential. Its value never appears in a message.
 */
public final class WriterSecrets {

  private WriterSecrets() {}

  /**
   * The secret at {@code key} from {@code literal}, else {@code file} (key {@code key_file}), else the systemd
   * credential {@code credential}; null when none is set.
   */
  public static Secret find(WriterContext context, String key, String literal, String file, String credential) {
    boolean given = literal != null && !literal.isBlank();
    if (given && file != null) {
      throw new ConfigException(key, "set either " + key + " or " + key + "_file, not both");
    }
    if (given) {
      return Secret.of(literal.strip());
    }
    if (file != null) {
      return SecretFiles.secret(key + "_file", Path.of(file));
    }
    if (context.credentials() != null && credential != null) {
      Path p = context.credentials().resolve(credential);
      if (Files.exists(p)) {
        return SecretFiles.secret("$CREDENTIALS_DIRECTORY/" + credential, p);
      }
    }
    return null;
  }
}

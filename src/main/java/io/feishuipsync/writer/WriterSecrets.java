package io.feishuipsync.writer;

import io.feishuipsync.core.Secret;
import io.feishuipsync.state.SecretFiles;

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
    return SecretFiles.find("", key, literal, file, context.credentials(), credential);
  }
}

package io.feishuipsync.source;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.state.SecretFiles;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What a source may use besides its own settings.
 *
 * @param name the sender's name in the config ({@code senders[].name}), which labels its entries everywhere
 * @param key where the sender is in the config ({@code senders[2]}, {@code feishu}), for its secrets' messages
 * @param unsuffixed true for the single app of a {@code feishu:} mapping, whose systemd credential is {@code
 *     app_secret} as before senders had names; every other sender's credential is {@code <key>_<name>}
 * @param clock the time a list is stamped with
 * @param sleeper how a source waits before a retry (not slept in unit tests)
 * @param credentials systemd's {@code $CREDENTIALS_DIRECTORY}, or null when the service has none
 */
public record SourceContext(String name, String key, boolean unsuffixed, Clock clock, Sleeper sleeper, Path credentials) {

  /** The systemd credential that may hold the secret at {@code key}. */
  public String credential(String key) {
    return unsuffixed ? key : key + "_" + name;
  }

  /** The secret at {@code key} from {@code literal}, {@code <key>_file} or the systemd credential; null when unset. */
  public Secret secret(String key, String literal, String file) {
    // Named in full here: a secret's file and credential are told apart by the whole key in every message.
    return SecretFiles.find(this.key + ".", key, literal, file, credentials, credential(key));
  }

  /** The secret at {@code key}, refused (the key in full) when unset, naming the three places it may come from. */
  public Secret requiredSecret(String key, String literal, String file, String example) {
    Secret s = secret(key, literal, file);
    if (s == null) {
      throw new ConfigException(this.key + "." + key, "missing; set " + key + " (e.g. " + example + "), " + key
          + "_file, or a systemd credential named " + credential(key));
    }
    return s;
  }
}

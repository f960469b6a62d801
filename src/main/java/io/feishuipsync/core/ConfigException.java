package io.feishuipsync.core;

/** The configuration is unusable; the message names the file and key so the operator can fix it. Exit code 2. */
public final class ConfigException extends RuntimeException {

  private final String key;

  /** A problem with one key, e.g. {@code writers[0].ports}. */
  public ConfigException(String key, String message) {
    super(key == null || key.isEmpty() ? message : key + ": " + message);
    this.key = key;
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
    this.key = null;
  }

  /** The offending key, or null when the problem is not about one key. */
  public String key() {
    return key;
  }

  /** The same problem, with the key placed under {@code prefix} (e.g. {@code writers[2]}). */
  public ConfigException under(String prefix) {
    return new ConfigException(key == null ? prefix : prefix + "." + key,
        key == null ? getMessage() : getMessage().substring(key.length() + 2));
  }
}

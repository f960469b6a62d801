package io.feishuipsync.core;

/** The configuration is unusable; the message names the file and key so the operator can fix it. Exit code 2. */
public final class ConfigException extends RuntimeException {

  private final String key;

  /**
   * A problem with one key, e.g. {@code writers[0].ports}. Key and message are made one clean line ({@link
   * Sanitize}): both may quote the config file, which anyone could have written.
   */
  public ConfigException(String key, String message) {
    super(key == null || key.isEmpty() ? Sanitize.text(message, MAX) : Sanitize.text(key, MAX) + ": "
        + Sanitize.text(message, MAX));
    this.key = key == null ? null : Sanitize.text(key, MAX);
  }

  public ConfigException(String message, Throwable cause) {
    super(Sanitize.text(message, MAX), cause);
    this.key = null;
  }

  /** Longest key or message kept: far beyond any this program writes, short of a flood. */
  private static final int MAX = 4000;

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

package io.feishuipsync.core;

/** A credential that never prints itself: {@link #toString()} is redacted; only {@link #reveal()} gives the value. */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** Wraps a credential value; blank values are refused. */
  public static Secret of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("secret is empty");
    }
    return new Secret(value);
  }

  /** The credential itself; call only where it is sent to its destination. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "******";
  }
}

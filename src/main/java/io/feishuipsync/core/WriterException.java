package io.feishuipsync.core;

/** A writer could not check, read or apply; its firewall is left as it was before the call. */
public final class WriterException extends Exception {

  private final String writer;

  public WriterException(String writer, String message) {
    this(writer, message, null);
  }

  public WriterException(String writer, String message, Throwable cause) {
    super(writer + ": " + message, cause);
    this.writer = writer;
  }

  /** Name of the writer that failed. */
  public String writer() {
    return writer;
  }
}

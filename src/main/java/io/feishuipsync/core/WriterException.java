package io.feishuipsync.core;

/** A writer could not check, read or apply; its firewall is left as it was before the call. */
public final class WriterException extends Exception {

  private final String writer;

  public WriterException(String writer, String message) {
    this(writer, message, null);
  }

  /**
   * Writer name and message are made one clean line ({@link Sanitize}): a message may quote what a tool printed or a
   * cloud answered.
   */
  public WriterException(String writer, String message, Throwable cause) {
    super(Sanitize.text(writer, MAX) + ": " + Sanitize.text(message, MAX), cause);
    this.writer = Sanitize.text(writer, MAX);
  }

  /** Longest name or message kept: far beyond any this program writes, short of a flood. */
  private static final int MAX = 4000;

  /** The message without the writer's name in front: for a sentence that wraps it in another of the same writer. */
  public String detail() {
    String m = getMessage();
    return m.startsWith(writer + ": ") ? m.substring(writer.length() + 2) : m;
  }

  /** Name of the writer that failed. */
  public String writer() {
    return writer;
  }
}

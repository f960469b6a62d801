package io.feishuipsync.core;

/**
 * The address source (Feishu) failed or answered something unusable. Carries what the operator needs to act on it
 * and to quote to Feishu support: the HTTP status, Feishu's {@code code} and {@code msg}, and the {@code X-Tt-Logid}.
 * The message never contains a credential, and is one sanitized line (see {@link Sanitize}).
 */
public final class SourceException extends Exception {

  private static final int MAX_MESSAGE = 2000;

  private final int httpStatus;
  private final Long feishuCode;
  private final String feishuMsg;
  private final String logId;
  private final boolean abandoned;

  /** A failure with no Feishu answer to quote (unreachable, timeout, invalid entry). */
  public SourceException(String message, Throwable cause) {
    this(message, 0, null, null, null, cause);
  }

  public SourceException(String message, int httpStatus, Long feishuCode, String feishuMsg, String logId,
      Throwable cause) {
    this(message, httpStatus, feishuCode, feishuMsg, logId, cause, false);
  }

  private SourceException(String message, int httpStatus, Long feishuCode, String feishuMsg, String logId,
      Throwable cause, boolean abandoned) {
    // What Feishu said is network text: one line, no escapes, bounded, wherever this message goes.
    super(Sanitize.text(compose(message, httpStatus, feishuCode, Sanitize.text(feishuMsg), Sanitize.text(logId, 128)),
        MAX_MESSAGE), cause);
    this.httpStatus = httpStatus;
    this.feishuCode = feishuCode;
    this.feishuMsg = Sanitize.text(feishuMsg);
    this.logId = Sanitize.text(logId, 128);
    this.abandoned = abandoned;
  }

  /** The fetch was given up because the process is stopping, not because the source failed. */
  public static SourceException abandoned(String message) {
    return new SourceException(message, 0, null, null, null, null, true);
  }

  /** True when the fetch was given up for a stop: no failure of the source, nothing applied. */
  public boolean isAbandoned() {
    return abandoned;
  }

  /** HTTP status of the failing answer, or 0 when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Feishu's {@code code}, or null when the answer had none. */
  public Long feishuCode() {
    return feishuCode;
  }

  /** Feishu's {@code msg}, sanitized, or null. */
  public String feishuMsg() {
    return feishuMsg;
  }

  /** The request id of the failing answer ({@code X-Tt-Logid} or the like), sanitized, or null. */
  public String logId() {
    return logId;
  }

  private static String compose(String message, int httpStatus, Long code, String msg, String logId) {
    StringBuilder sb = new StringBuilder(message);
    if (httpStatus > 0) {
      sb.append(" (http ").append(httpStatus);
      if (code != null) {
        sb.append(", code ").append(code);
      }
      if (msg != null) {
        sb.append(", msg \"").append(msg).append('"');
      }
      if (logId != null) {
        sb.append(", log id ").append(logId);
      }
      sb.append(')');
    }
    return sb.toString();
  }
}

package io.feishuipsync.core;

/**
 * The address source (Feishu) failed or answered something unusable. Carries what the operator needs to act on it
 * and to quote to Feishu support: the HTTP status, Feishu's {@code code} and {@code msg}, and the {@code X-Tt-Logid}.
 * The message never contains a credential.
 */
public final class SourceException extends Exception {

  private final int httpStatus;
  private final Long feishuCode;
  private final String feishuMsg;
  private final String logId;

  /** A failure with no Feishu answer to quote (unreachable, timeout, invalid entry). */
  public SourceException(String message, Throwable cause) {
    this(message, 0, null, null, null, cause);
  }

  public SourceException(String message, int httpStatus, Long feishuCode, String feishuMsg, String logId,
      Throwable cause) {
    super(compose(message, httpStatus, feishuCode, feishuMsg, logId), cause);
    this.httpStatus = httpStatus;
    this.feishuCode = feishuCode;
    this.feishuMsg = feishuMsg;
    this.logId = logId;
  }

  /** HTTP status of the failing answer, or 0 when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Feishu's {@code code}, or null when the answer had none. */
  public Long feishuCode() {
    return feishuCode;
  }

  /** Feishu's {@code msg}, or null. */
  public String feishuMsg() {
    return feishuMsg;
  }

  /** The {@code X-Tt-Logid} header of the failing answer, or null. */
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

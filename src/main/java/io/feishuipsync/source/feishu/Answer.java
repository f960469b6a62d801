package io.feishuipsync.source.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.SourceException;

/**
 * One HTTP answer from Feishu; its strings are sanitized, its numbers not yet checked.
 *
 * @param body the JSON value, or null when the body was not JSON
 * @param logId the request id, sanitized, or null
 * @param reset the raw {@code x-ogw-ratelimit-reset} header, or null
 * @param retryAfter the raw {@code Retry-After} header, or null
 * @param contentType the content type, sanitized, or null
 * @param unreadable why the body is not JSON, or null when it is
 */
record Answer(int status, JsonNode body, String logId, String reset, String retryAfter,
    String contentType, String unreadable) {

  Answer unreadable(String why) {
    return new Answer(status, null, logId, reset, retryAfter, contentType, why);
  }

  /** Feishu's {@code code} when it is an integer, else null. */
  Long code() {
    JsonNode c = body == null ? null : body.get("code");
    return c != null && c.isIntegralNumber() && c.canConvertToLong() ? c.asLong() : null;
  }

  String msg() {
    JsonNode m = body == null ? null : body.get("msg");
    if (m == null || m.isNull()) {
      return null;
    }
    return Sanitize.text(m.isTextual() ? m.asText() : m.toString());
  }

  /** This answer refused as invalid because of {@code why}; nothing is applied. */
  SourceException invalid(String why) {
    return new SourceException("invalid answer from Feishu, nothing applied: " + why, Math.max(status, 1), code(),
        msg(), logId, null);
  }

  /** A failure described by {@code message}, carrying what the {@code last} answer (may be null) said. */
  static SourceException failed(String message, Answer last) {
    if (last == null) {
      return new SourceException(message, null);
    }
    return new SourceException(message, last.status, last.code(), last.msg(), last.logId, null);
  }
}

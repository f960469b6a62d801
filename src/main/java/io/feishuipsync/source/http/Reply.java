package io.feishuipsync.source.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.feishuipsync.core.Sanitize;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP answer of a sender's API, read whole within its size cap.
 *
 * @param status the HTTP status
 * @param body the body's bytes (empty when there was none)
 * @param headers the first value of each header, by lower-case name, as sent (sanitize before logging)
 */
public record Reply(int status, byte[] body, Map<String, String> headers) {

  static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(64)
          .maxNumberLength(64)
          .maxStringLength(Fetcher.MAX_BODY_LIMIT)
          .build())
      .build())
      // Garbage after the JSON value is not an answer.
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The header {@code name}, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The body as JSON, or a missing node when it is not JSON (the caller says what it expected). */
  public JsonNode json() {
    try {
      JsonNode n = JSON.readTree(body);
      return n == null ? MissingNode.getInstance() : n;
    } catch (java.io.IOException | RuntimeException e) {
      return MissingNode.getInstance();
    }
  }

  /** The body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A short, clean excerpt of the body for a one-line error. */
  public String excerpt() {
    return Sanitize.text(text(), 120);
  }
}

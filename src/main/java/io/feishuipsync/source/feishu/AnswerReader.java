package io.feishuipsync.source.feishu;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.source.http.Flight;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/** Reads one answer through the size cap, parsing as it reads; never holds more than the cap. */
final class AnswerReader {

  /** Request ids Feishu (or a gateway in front of it) may answer with, in order of preference. */
  private static final String[] REQUEST_ID_HEADERS = {"X-Tt-Logid", "X-Request-Id", "Request-Id"};
  private static final int MAX_LOG_ID = 128;

  static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(64)
          .maxNumberLength(64)
          .maxStringLength((int) FeishuSettings.MAX_RESPONSE_BYTES)
          .build())
      .build())
      // Garbage after the JSON object is not an answer; it also means the body was read to its end.
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private AnswerReader() {
  }

  /**
   * The answer to {@code request}, read through a cap of {@code max} bytes; a body that is not JSON is thrown as
   * {@link NotJson}, one over the cap as {@link ResponseTooLarge}, and either way the connection is dropped.
   */
  static Answer read(HttpUriRequestBase request, ClassicHttpResponse response, long max) throws IOException {
    Answer head = new Answer(response.getCode(), null, requestId(response, null),
        header(response, "x-ogw-ratelimit-reset"), header(response, "Retry-After"),
        Sanitize.text(header(response, "Content-Type"), 64), "empty body");
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      return head;
    }
    try {
      if (entity.getContentLength() > max) {
        throw new ResponseTooLarge(max);
      }
      JsonNode body = JSON.readTree(new CappedStream(entity.getContent(), max));
      if (body == null || body.isMissingNode()) {
        return head;
      }
      // Any JSON value is kept: one that is not an object simply lacks the fields, which the caller reports.
      return new Answer(head.status(), body, requestId(response, body), head.reset(), head.retryAfter(),
          head.contentType(), null);
    } catch (StreamConstraintsException e) {
      request.cancel();
      throw new NotJson(head.unreadable("nested or sized beyond the parser's limits"));
    } catch (JsonProcessingException e) {
      // Not JSON: a proxy's error page, or garbage. The caller decides; the rest is not worth reading.
      request.cancel();
      throw new NotJson(head.unreadable(e instanceof JsonEOFException ? "truncated" : "malformed"));
    } catch (ResponseTooLarge e) {
      // Drop the connection rather than drain what is left of a huge body.
      request.cancel();
      throw e;
    }
  }

  private static String header(ClassicHttpResponse response, String name) {
    Header h = response.getFirstHeader(name);
    return h == null ? null : h.getValue();
  }

  /** The id Feishu's support asks for: a request-id header, else {@code error.log_id} in the body. */
  private static String requestId(ClassicHttpResponse response, JsonNode body) {
    for (String name : REQUEST_ID_HEADERS) {
      String v = header(response, name);
      if (v != null && !v.isBlank()) {
        return Sanitize.text(v.strip(), MAX_LOG_ID);
      }
    }
    JsonNode id = body == null ? null : body.path("error").path("log_id");
    if (id != null && (id.isTextual() || id.isIntegralNumber()) && !id.asText().isBlank()) {
      return Sanitize.text(id.asText().strip(), MAX_LOG_ID);
    }
    return null;
  }

  /** The answer's body is not JSON; carries the rest of the answer. */
  static final class NotJson extends Flight.Refused {
    final transient Answer answer;

    NotJson(Answer answer) {
      super("not JSON");
      this.answer = answer;
    }
  }

  /** The answer is larger than the cap (1 MiB: a page of 50 entries is a few KB). */
  static final class ResponseTooLarge extends Flight.Refused {
    ResponseTooLarge(long max) {
      super("the answer is larger than " + max + " bytes");
    }
  }

  /** Counts what is read and fails past the cap; closing is left to the HTTP client, which drops or reuses. */
  private static final class CappedStream extends FilterInputStream {
    private final long max;
    private long total;

    CappedStream(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(n);
      count(skipped);
      return skipped;
    }

    @Override
    public void close() {
      // Jackson closes its source; draining a hostile body here would read it all.
    }

    private void count(long n) throws ResponseTooLarge {
      total += n;
      if (total > max) {
        throw new ResponseTooLarge(max);
      }
    }
  }
}

package io.feishuipsync.writer.volcengine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.core.Secret;
import io.feishuipsync.source.http.BoundedClient;
import io.feishuipsync.source.http.CappedBody;
import io.feishuipsync.source.http.Reply;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * Calls Volcano Engine's OpenAPI (the query style: {@code GET /?Action=...&Version=...}) with a signed request, over
 * a bounded client (10 s to connect, 30 s a read, no redirects, no retries of its own), and reads the answer whole
 * up to 1 MB: its {@code Result}, or its {@code ResponseMetadata.Error} as a {@link Refusal}.
 */
final class VolcApi {

  /** The largest answer read. */
  static final int MAX_ANSWER = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";

  /** An answer of the service that refuses the call. */
  static final class Refusal extends Exception {

    final int status;
    final String code;
    final String requestId;

    Refusal(int status, String code, String message, String requestId) {
      super(message);
      this.status = status;
      this.code = code == null ? "" : code;
      this.requestId = requestId;
    }
  }

  /** No answer, or none that could be read. */
  static final class Unreachable extends Exception {

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final URI endpoint;
  private final String region;
  private final String service;
  private final String version;
  private final String accessKeyId;
  private final Secret secret;
  private final Clock clock;
  private final CloseableHttpClient http;

  /** Calls to {@code service} (e.g. {@code vpc}) at API {@code version} in {@code region}, at {@code endpoint}. */
  VolcApi(URI endpoint, String region, String service, String version, String accessKeyId, Secret secret,
      Clock clock) {
    this.endpoint = endpoint;
    this.region = region;
    this.service = service;
    this.version = version;
    this.accessKeyId = accessKeyId;
    this.secret = secret;
    this.clock = clock;
    this.http = BoundedClient.build(Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  /** Runs {@code action} with {@code params}; returns its {@code Result} (an empty object when it has none). */
  JsonNode call(String action, Map<String, String> params) throws Refusal, Unreachable {
    Map<String, String> query = new java.util.TreeMap<>(params);
    query.put("Action", action);
    query.put("Version", version);
    String host = endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    HttpGet get = new HttpGet(endpoint.resolve("/?" + VolcSigner.canonicalQuery(query)));
    VolcSigner.sign("GET", host, "/", query, new byte[0], CONTENT_TYPE, accessKeyId, secret.reveal(), region,
        service, clock.instant()).forEach(get::setHeader);
    Reply reply;
    try {
      reply = http.execute(get, response -> CappedBody.read(get, response, MAX_ANSWER));
    } catch (IOException e) {
      throw new Unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(reply.body());
    } catch (IOException e) {
      throw new Unreachable("HTTP " + reply.status() + " with an answer that is not JSON", e);
    }
    JsonNode meta = body == null ? null : body.path("ResponseMetadata");
    JsonNode error = meta == null ? null : meta.path("Error");
    String requestId = meta == null ? null : meta.path("RequestId").asText(null);
    if (error != null && error.isObject() && error.hasNonNull("Code")) {
      throw new Refusal(reply.status(), error.path("Code").asText(), error.path("Message").asText(""), requestId);
    }
    if (reply.status() / 100 != 2) {
      throw new Refusal(reply.status(), "", "HTTP " + reply.status() + " without an error code", requestId);
    }
    if (body == null || !body.isObject()) {
      throw new Unreachable("the answer is not a JSON object", null);
    }
    JsonNode result = body.path("Result");
    return result.isObject() ? result : JSON.createObjectNode();
  }
}

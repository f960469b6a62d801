package io.feishuipsync.writer.aliyun;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.feishuipsync.writer.CannedAnswers;
import io.feishuipsync.writer.Signing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every FAKE of an Alibaba Cloud OpenAPI product here shares (ECS, ALB, SLB): real HTTP on loopback, and the
 * checks the service makes of every request before its action runs:
 *
 * <ul>
 *   <li>a V3 signature ({@code ACS3-HMAC-SHA256}, the one tea-openapi sends by default), recomputed here from the
 *       request as received by Alibaba Cloud's published algorithm: canonical request of method, path, sorted
 *       percent-encoded query, the signed headers (which must include host and every {@code x-acs-*} header and the
 *       content type), and the body hash, which must match the body; the {@code x-acs-date} must be within 15
 *       minutes and a nonce may not be used twice. An unknown AccessKey id, a wrong secret or a tampered request is
 *       answered as the service answers it, and recorded in {@link #rejected};</li>
 *   <li>the product's API version;</li>
 *   <li>on demand: an action refused as RAM refuses it ({@code Forbidden.RAM}), the next calls of an action answered
 *       with scripted error codes (throttling, busy, anything), a step run just before an action (another client
 *       changing the resource), or any body at all (a fuzz target's bytes).</li>
 * </ul>
 *
 * A product's fake keeps its own state and answers its actions in {@link #act}; every accepted call is recorded in
 * {@link #calls}, every change in {@link #mutations}.
 */
abstract class AcsStandIn implements AutoCloseable {

  static final String ACCESS_KEY_ID = "LTAI5tFakeKeyId0001";
  static final String ACCESS_KEY_SECRET = "fake-ecs-secret-0123456789abcdef";
  private static final String ALGORITHM = "ACS3-HMAC-SHA256";
  private static final Set<String> REQUIRED_SIGNED = Set.of("host", "x-acs-action", "x-acs-version", "x-acs-date",
      "x-acs-signature-nonce", "x-acs-content-sha256");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String version;
  private final String host;
  final List<String> mutations = new ArrayList<>();
  final List<String> rejected = new ArrayList<>();
  /** Each call accepted, as {@code Action} or {@code Action NextToken}. */
  final List<String> calls = new ArrayList<>();
  private final Map<String, Deque<String>> failures = new HashMap<>();
  private final Map<String, Deque<Runnable>> before = new HashMap<>();
  private final Set<String> denied = new HashSet<>();
  private final Set<String> nonces = new HashSet<>();
  private final AtomicInteger ids = new AtomicInteger(1000);

  /** A fake of the product of API {@code version}, e.g. {@code 2014-05-26}; {@code host} names it in errors. */
  AcsStandIn(String version, String host) throws IOException {
    this.version = version;
    this.host = host;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The endpoint setting that reaches this fake. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The port it listens on. */
  int port() {
    return server.getAddress().getPort();
  }

  /** A fresh id, e.g. {@code sgr-1001}. */
  String nextId(String prefix) {
    return prefix + ids.incrementAndGet();
  }

  /** The next calls of {@code action} fail with these codes, one each. */
  synchronized void failNext(String action, String... codes) {
    failures.computeIfAbsent(action, a -> new ArrayDeque<>()).addAll(List.of(codes));
  }

  /** Runs {@code step} just before the next call of {@code action} is carried out. */
  synchronized void beforeNext(String action, Runnable step) {
    before.computeIfAbsent(action, a -> new ArrayDeque<>()).add(step);
  }

  /** The RAM policy lacks {@code action}. */
  synchronized void deny(String action) {
    denied.add(action);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * Carries out {@code action} with the request's {@code params} (query and form body), signature, version, RAM
   * and scripted failures already checked; returns the answer's body, or throws a {@link Refusal}.
   */
  abstract Map<String, Object> act(String action, Map<String, String> params);

  /** A refusal of the service: HTTP status, code and message. */
  static final class Refusal extends RuntimeException {
    final int status;
    final String code;

    Refusal(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private final CannedAnswers canned = new CannedAnswers();

  /**
   * The next call of {@code action} is answered with {@code body} as it stands and HTTP {@code status}, whatever it
   * holds (a fuzz target's bytes); the call changes nothing.
   */
  void answerNextWith(String action, int status, byte[] body) {
    canned.add(action, status, body);
  }

  /** Drops the answers {@link #answerNextWith} queued that no call took. */
  void forgetAnswers() {
    canned.clear();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readNBytes(1 << 20);
      if (canned.send(ex, ex.getRequestHeaders().getFirst("x-acs-action"))) {
        return;
      }
      Answer a;
      synchronized (this) {
        a = answer(ex, body);
      }
      byte[] out = JSON.writeValueAsBytes(a.body());
      ex.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
      ex.sendResponseHeaders(a.status(), out.length);
      ex.getResponseBody().write(out);
    }
  }

  private record Answer(int status, Map<String, Object> body) {}

  private Answer answer(HttpExchange ex, byte[] body) {
    String requestId = "FAKE-" + ids.incrementAndGet();
    try {
      Map<String, String> params = verify(ex, body);
      String action = ex.getRequestHeaders().getFirst("x-acs-action");
      if (!version.equals(ex.getRequestHeaders().getFirst("x-acs-version"))) {
        throw new Refusal(400, "InvalidVersion", "Specified parameter Version is not valid.");
      }
      if (denied.contains(action)) {
        throw new Refusal(403, "Forbidden.RAM", "User not authorized to operate on the specified resource, or this"
            + " API doesn't support RAM.");
      }
      Deque<String> f = failures.get(action);
      if (f != null && !f.isEmpty()) {
        String code = f.poll();
        throw new Refusal(code.startsWith("Throttling") || code.startsWith("IncorrectStatus") ? 400 : 403, code,
            "scripted " + code);
      }
      Deque<Runnable> b = before.get(action);
      if (b != null && !b.isEmpty()) {
        b.poll().run();
      }
      Map<String, Object> out = new LinkedHashMap<>(act(action, params));
      calls.add(action + (params.containsKey("NextToken") ? " " + params.get("NextToken") : ""));
      out.put("RequestId", requestId);
      return new Answer(200, out);
    } catch (Refusal r) {
      Map<String, Object> err = new LinkedHashMap<>();
      err.put("RequestId", requestId);
      err.put("HostId", host);
      err.put("Code", r.code);
      err.put("Message", r.getMessage());
      return new Answer(r.status, err);
    }
  }

  /**
   * Checks the V3 signature as the service does and returns the request's parameters (query and form body).
   * Every refusal is recorded in {@link #rejected}.
   */
  private Map<String, String> verify(HttpExchange ex, byte[] body) {
    try {
      return verified(ex, body);
    } catch (Refusal r) {
      rejected.add(r.code + ": " + r.getMessage());
      throw r;
    }
  }

  private Map<String, String> verified(HttpExchange ex, byte[] body) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith(ALGORITHM + " ")) {
      throw new Refusal(400, "IncompleteSignature", "no " + ALGORITHM + " Authorization header");
    }
    Map<String, String> parts = new HashMap<>();
    for (String p : auth.substring(ALGORITHM.length() + 1).split(",")) {
      int eq = p.indexOf('=');
      if (eq > 0) {
        parts.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
      }
    }
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (credential == null || signedHeaders == null || signature == null) {
      throw new Refusal(400, "IncompleteSignature", "Authorization lacks Credential, SignedHeaders or Signature");
    }
    if (!ACCESS_KEY_ID.equals(credential)) {
      throw new Refusal(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    }
    List<String> signed = List.of(signedHeaders.split(";"));
    Set<String> mustSign = new HashSet<>(REQUIRED_SIGNED);
    ex.getRequestHeaders().keySet().stream().map(h -> h.toLowerCase(Locale.ROOT))
        .filter(h -> h.startsWith("x-acs-") || h.equals("content-type")).forEach(mustSign::add);
    if (!signed.containsAll(mustSign) || !signed.equals(signed.stream().sorted().distinct().toList())) {
      throw new Refusal(400, "IncompleteSignature", "SignedHeaders must list, sorted, " + mustSign);
    }
    String contentHash = ex.getRequestHeaders().getFirst("x-acs-content-sha256");
    if (!Signing.hex(Signing.sha256(body)).equals(contentHash)) {
      throw new Refusal(400, "IncompleteSignature", "x-acs-content-sha256 does not match the body");
    }
    try {
      Instant date = Instant.parse(ex.getRequestHeaders().getFirst("x-acs-date"));
      if (Duration.between(date, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
        throw new Refusal(400, "InvalidTimeStamp.Expired", "x-acs-date is more than 15 minutes off");
      }
    } catch (DateTimeParseException | NullPointerException e) {
      throw new Refusal(400, "InvalidTimeStamp.Format", "x-acs-date is not ISO 8601 UTC");
    }
    if (!nonces.add(ex.getRequestHeaders().getFirst("x-acs-signature-nonce"))) {
      throw new Refusal(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    }
    TreeMap<String, String> query = Signing.firstValues(ex.getRequestURI().getRawQuery());
    StringBuilder canonical = new StringBuilder();
    canonical.append(ex.getRequestMethod()).append('\n').append(ex.getRequestURI().getRawPath()).append('\n');
    List<String> q = new ArrayList<>();
    query.forEach((k, v) -> q.add(Signing.encode(k) + "=" + Signing.encode(v)));
    canonical.append(String.join("&", q)).append('\n');
    for (String h : signed) {
      String value = ex.getRequestHeaders().getFirst(h);
      canonical.append(h).append(':').append(value == null ? "" : value.strip()).append('\n');
    }
    // CanonicalHeaders ends with its own newline, and the published form adds one more before SignedHeaders.
    canonical.append('\n').append(signedHeaders).append('\n').append(contentHash);
    String stringToSign = ALGORITHM + "\n" + Signing.hex(Signing.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    String expected = Signing.hex(Signing.hmac(ACCESS_KEY_SECRET, stringToSign));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        signature.getBytes(StandardCharsets.UTF_8))) {
      throw new Refusal(400, "SignatureDoesNotMatch", "Specified signature does not match our calculation.");
    }
    Map<String, String> params = new HashMap<>(query);
    String type = ex.getRequestHeaders().getFirst("content-type");
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      params.putAll(Signing.firstValues(new String(body, StandardCharsets.UTF_8)));
    }
    return params;
  }
}

package io.feishuipsync.writer.tencent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A FAKE of the Tencent Cloud VPC API (2017-03-12), not the service: a real HTTP server on loopback that the real
 * SDK talks to through its endpoint override. No emulator of this API exists, so this fake keeps the state the
 * writer depends on and checks what the real service would refuse:
 * <ul>
 *   <li>every request's TC3-HMAC-SHA256 signature, recomputed from the bytes received with Tencent Cloud's published
 *       algorithm (canonical request of method, URI, query, the signed headers and the payload hash; credential
 *       scope date/service/tc3_request; the date taken from {@code X-TC-Timestamp}, which must be within five
 *       minutes), the SecretId known, the service the Host names, the API version and region headers;</li>
 *   <li>each security group's ingress policies in order and its policy Version, incremented by every change; a
 *       create or delete naming another Version is refused, and one naming none fails the test (the writer
 *       promises to always name it);</li>
 *   <li>the quota of ingress policies per group (told by DescribeSecurityGroupLimits) and of addresses per
 *       template, and no policy duplicating one the group holds (whatever its description; the service's exact
 *       rule is not published);</li>
 *   <li>each address template's addresses, replaced whole by ModifyAddressTemplateAttribute, asynchronously as
 *       the service documents it: the call answers at once with a RequestId, the template changes when its task
 *       ends, and DescribeVpcTaskResult (TaskId: that RequestId) answers RUNNING for {@code taskPolls} polls, then
 *       SUCCESS (or FAILED, with the template unchanged, when {@code failTasks} is set).</li>
 * </ul>
 * Throttling, permission refusals and concurrent changes are answered on demand. It does not check the JSON shape
 * of requests beyond the fields the writer sends.
 */
final class FakeVpc implements AutoCloseable {

  static final String SECRET_ID = "AKIDfeishuipsyncTEST0001";
  static final String SECRET_KEY = "fake-tc3-secret-key-value";
  static final String REGION = "ap-guangzhou";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern AUTH = Pattern.compile("TC3-HMAC-SHA256 Credential=([^/]+)/(\\d{4}-\\d{2}-\\d{2})/"
      + "([^/]+)/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

  /** One ingress policy as the service keeps it. */
  record Policy(String protocol, String port, String cidr, String ipv6, String action, String description) {}

  /** A security group: its ingress policies in order and its policy Version. */
  static final class Group {
    final List<Policy> ingress = new ArrayList<>();
    long version = 1;
  }

  final Map<String, Group> groups = new LinkedHashMap<>();
  final Map<String, List<String[]>> templates = new LinkedHashMap<>();
  /** Every action received, signature checked or not. */
  final List<String> requests = new ArrayList<>();
  /** Requests the writer should never have sent (a change naming no Version); a test asserts none. */
  final List<String> violations = new ArrayList<>();
  /** Every change made, e.g. {@code create sg-0abc1234 3}. */
  final List<String> mutations = new ArrayList<>();
  /** Runs before each change is applied, to play someone else changing the group first. */
  Runnable beforeChange = () -> {};
  int policyQuota = 100;
  /** The documented default: 20 addresses per template. */
  int templateQuota = 20;
  /** How many polls a template change's task answers RUNNING before it ends. */
  int taskPolls = 2;
  /** Template changes whose task fails instead of succeeding. */
  boolean failTasks;
  /** Template changes not yet done, by the RequestId of their call: the template, its new list, polls left. */
  private final Map<String, Object[]> tasks = new HashMap<>();

  private final Map<String, Deque<String>> failures = new HashMap<>();
  private final HttpServer server;

  FakeVpc() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The endpoint to configure: plain HTTP on loopback. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized String addGroup(String id) {
    groups.put(id, new Group());
    return id;
  }

  synchronized void addPolicy(String group, String cidr, String port, String description) {
    Group g = groups.get(group);
    g.ingress.add(new Policy("TCP", port, cidr, "", "ACCEPT", description));
    g.version++;
  }

  synchronized void addTemplate(String id, String... addresses) {
    List<String[]> list = new ArrayList<>();
    for (String a : addresses) {
      list.add(new String[] {a, ""});
    }
    templates.put(id, list);
  }

  /** The next calls of {@code action} fail with these codes, one each. */
  synchronized void failNext(String action, String... codes) {
    failures.computeIfAbsent(action, a -> new ArrayDeque<>()).addAll(List.of(codes));
  }

  /**
   * The next call of {@code action} is answered with {@code body} as it stands and HTTP {@code status}, whatever it
   * holds (a fuzz target's bytes); the call changes nothing.
   */
  synchronized void answerNextWith(String action, int status, byte[] body) {
    raw.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new Raw(status, body));
  }

  private record Raw(int status, byte[] body) {}

  /** Drops the answers {@link #answerNextWith} queued that no call took. */
  synchronized void forgetAnswers() {
    raw.clear();
  }

  private final Map<String, java.util.Deque<Raw>> raw = new java.util.HashMap<>();

  synchronized List<Policy> ingress(String group) {
    return List.copyOf(groups.get(group).ingress);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    ObjectNode out;
    Raw given;
    synchronized (this) {
      String action = ex.getRequestHeaders().getFirst("X-TC-Action");
      given = raw.containsKey(action) ? raw.get(action).poll() : null;
    }
    if (given != null) {
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(given.status(), given.body().length == 0 ? -1 : given.body().length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(given.body());
      }
      return;
    }
    synchronized (this) {
      String action = ex.getRequestHeaders().getFirst("X-TC-Action");
      requests.add(action);
      String refused = signatureProblem(ex, body);
      try {
        if (refused != null) {
          out = error(refused.substring(0, refused.indexOf(' ')), refused.substring(refused.indexOf(' ') + 1));
        } else if (failures.containsKey(action) && !failures.get(action).isEmpty()) {
          String code = failures.get(action).poll();
          out = error(code, "fake: " + code + " on demand");
        } else {
          out = answer(action, JSON.readTree(body));
        }
      } catch (RuntimeException e) {
        out = error("InternalError", "fake: " + e);
      }
    }
    ObjectNode response = JSON.createObjectNode();
    if (!out.has("RequestId")) {
      out.put("RequestId", "fake-" + requests.size());
    }
    response.set("Response", out);
    byte[] bytes = JSON.writeValueAsBytes(response);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(bytes);
    }
  }

  /** Why the service would refuse this request's signature ("Code message"), or null when it is valid. */
  private String signatureProblem(HttpExchange ex, byte[] body) {
    var h = ex.getRequestHeaders();
    Matcher m = AUTH.matcher(String.valueOf(h.getFirst("Authorization")));
    if (!m.matches()) {
      return "AuthFailure.InvalidAuthorization Authorization is not TC3-HMAC-SHA256";
    }
    if (!SECRET_ID.equals(m.group(1))) {
      return "AuthFailure.SecretIdNotFound the SecretId is unknown";
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(String.valueOf(h.getFirst("X-TC-Timestamp")));
    } catch (NumberFormatException e) {
      return "AuthFailure.InvalidAuthorization X-TC-Timestamp is missing";
    }
    if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
      return "AuthFailure.SignatureExpire the request is older than five minutes";
    }
    String date = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(Instant.ofEpochSecond(timestamp));
    String host = String.valueOf(h.getFirst("Host"));
    String service = host.split("\\.")[0];
    if (!m.group(2).equals(date) || !m.group(3).equals(service)) {
      return "AuthFailure.InvalidAuthorization the credential scope is not " + date + "/" + service;
    }
    List<String> signed = List.of(m.group(4).split(";"));
    if (!signed.contains("content-type") || !signed.contains("host") || !signed.equals(new TreeSet<>(signed).stream()
        .toList())) {
      return "AuthFailure.InvalidAuthorization SignedHeaders must list content-type and host, sorted";
    }
    StringBuilder headers = new StringBuilder();
    for (String name : signed) {
      String value = h.getFirst(name);
      if (value == null) {
        return "AuthFailure.InvalidAuthorization signed header " + name + " is missing";
      }
      headers.append(name).append(':').append(value.strip().toLowerCase(Locale.ROOT)).append('\n');
    }
    String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
    String canonical = ex.getRequestMethod() + "\n" + ex.getRequestURI().getRawPath() + "\n" + query + "\n"
        + headers + "\n" + m.group(4) + "\n" + hex(sha256(body));
    if (!MessageDigest.isEqual(signature(SECRET_KEY, timestamp, service, canonical).getBytes(StandardCharsets.UTF_8),
        m.group(5).getBytes(StandardCharsets.UTF_8))) {
      return "AuthFailure.SignatureFailure the signature does not match";
    }
    if (!"2017-03-12".equals(h.getFirst("X-TC-Version")) || !REGION.equals(h.getFirst("X-TC-Region"))) {
      return "InvalidParameter.Version X-TC-Version must be 2017-03-12 and X-TC-Region " + REGION;
    }
    return null;
  }

  /** The TC3-HMAC-SHA256 signature of {@code canonicalRequest}, as Tencent Cloud publishes the algorithm. */
  static String signature(String secretKey, long timestamp, String service, String canonicalRequest) {
    String date = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(Instant.ofEpochSecond(timestamp));
    String toSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + date + "/" + service + "/tc3_request\n"
        + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] k = hmac(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, service);
    k = hmac(k, "tc3_request");
    return hex(hmac(k, toSign));
  }

  /** Lowercase hex of SHA-256. */
  static String sha256Hex(byte[] b) {
    return hex(sha256(b));
  }

  private ObjectNode answer(String action, JsonNode req) {
    return switch (String.valueOf(action)) {
      case "DescribeSecurityGroupPolicies" -> describePolicies(req);
      case "CreateSecurityGroupPolicies", "DeleteSecurityGroupPolicies" -> change(action, req);
      case "DescribeAddressTemplates" -> describeTemplates(req);
      case "ModifyAddressTemplateAttribute" -> modifyTemplate(req);
      case "DescribeVpcTaskResult" -> taskResult(req);
      case "DescribeSecurityGroupLimits" -> limits();
      default -> error("InvalidAction", "fake: " + action + " is not played");
    };
  }

  private ObjectNode describePolicies(JsonNode req) {
    Group g = groups.get(req.path("SecurityGroupId").asText());
    if (g == null) {
      return error("ResourceNotFound", "The security group does not exist");
    }
    ArrayNode ingress = JSON.createArrayNode();
    for (int i = 0; i < g.ingress.size(); i++) {
      Policy p = g.ingress.get(i);
      ingress.addObject().put("PolicyIndex", i).put("Protocol", p.protocol()).put("Port", p.port())
          .put("CidrBlock", p.cidr()).put("Ipv6CidrBlock", p.ipv6()).put("SecurityGroupId", "")
          .put("Action", p.action()).put("PolicyDescription", p.description()).put("ModifyTime", "2026-01-01 00:00:00")
          .putObject("AddressTemplate").put("AddressId", "").put("AddressGroupId", "");
    }
    ObjectNode out = JSON.createObjectNode();
    ObjectNode set = out.putObject("SecurityGroupPolicySet");
    set.put("Version", Long.toString(g.version));
    set.set("Ingress", ingress);
    set.putArray("Egress");
    return out;
  }

  private ObjectNode change(String action, JsonNode req) {
    String id = req.path("SecurityGroupId").asText();
    Group g = groups.get(id);
    if (g == null) {
      return error("ResourceNotFound", "The security group does not exist");
    }
    JsonNode set = req.path("SecurityGroupPolicySet");
    if (!set.hasNonNull("Version")) {
      violations.add(action + " without SecurityGroupPolicySet.Version");
      return error("FakeVpc.VersionMissing", "the writer must always name the Version");
    }
    beforeChange.run();
    if (!set.path("Version").asText().equals(Long.toString(g.version))) {
      return error("UnsupportedOperation.VersionMismatch", "The security group policy version "
          + set.path("Version").asText() + " is not the current version " + g.version);
    }
    if (set.path("Egress").size() > 0 || set.path("Ingress").size() == 0) {
      return error("InvalidParameter", "one direction, at least one policy");
    }
    if (action.startsWith("Create")) {
      if (g.ingress.size() + set.path("Ingress").size() > policyQuota) {
        return error("LimitExceeded", "Number of security group policies exceeds the limit " + policyQuota);
      }
      List<Policy> add = new ArrayList<>();
      for (JsonNode p : set.path("Ingress")) {
        add.add(new Policy(p.path("Protocol").asText(), p.path("Port").asText(), p.path("CidrBlock").asText(""),
            p.path("Ipv6CidrBlock").asText(""), p.path("Action").asText(), p.path("PolicyDescription").asText("")));
      }
      for (Policy p : add) {
        if (g.ingress.stream().anyMatch(q -> sameRule(p, q))) {
          return error("InvalidParameterValue.Duplicate", "the policy duplicates one the group holds");
        }
      }
      boolean top = set.path("Ingress").get(0).path("PolicyIndex").asInt(-1) == 0;
      g.ingress.addAll(top ? 0 : g.ingress.size(), add);
    } else {
      TreeSet<Integer> indexes = new TreeSet<>();
      for (JsonNode p : set.path("Ingress")) {
        int i = p.path("PolicyIndex").asInt(-1);
        if (i < 0 || i >= g.ingress.size()) {
          return error("InvalidParameterValue.Range", "PolicyIndex " + i + " does not exist");
        }
        indexes.add(i);
      }
      indexes.descendingSet().forEach(i -> g.ingress.remove((int) i));
    }
    g.version++;
    mutations.add((action.startsWith("Create") ? "create " : "delete ") + id + " " + set.path("Ingress").size());
    return JSON.createObjectNode();
  }

  /** The same rule whatever its description (an assumption: the API's duplicate check is not published). */
  private static boolean sameRule(Policy a, Policy b) {
    return a.protocol().equalsIgnoreCase(b.protocol()) && a.port().equals(b.port()) && a.cidr().equals(b.cidr())
        && a.ipv6().equals(b.ipv6()) && a.action().equalsIgnoreCase(b.action());
  }

  private ObjectNode describeTemplates(JsonNode req) {
    String id = req.path("Filters").path(0).path("Values").path(0).asText();
    ObjectNode out = JSON.createObjectNode();
    ArrayNode set = out.putArray("AddressTemplateSet");
    if (templates.containsKey(id)) {
      ObjectNode t = set.addObject().put("AddressTemplateId", id).put("AddressTemplateName", "feishu");
      ArrayNode plain = t.putArray("AddressSet");
      ArrayNode extra = t.putArray("AddressExtraSet");
      for (String[] a : templates.get(id)) {
        plain.add(a[0]);
        extra.addObject().put("Address", a[0]).put("Description", a[1]);
      }
    }
    out.put("TotalCount", set.size());
    return out;
  }

  private ObjectNode modifyTemplate(JsonNode req) {
    String id = req.path("AddressTemplateId").asText();
    if (!templates.containsKey(id)) {
      return error("ResourceNotFound", "The address template does not exist");
    }
    if (req.path("AddressesExtra").size() > templateQuota) {
      return error("LimitExceeded", "Number of addresses exceeds the limit " + templateQuota);
    }
    beforeChange.run();
    List<String[]> list = new ArrayList<>();
    req.path("AddressesExtra").forEach(a -> list.add(new String[] {a.path("Address").asText(),
        a.path("Description").asText("")}));
    String task = "task-" + java.util.UUID.randomUUID();
    tasks.put(task, new Object[] {id, list, taskPolls});
    return JSON.createObjectNode().put("RequestId", task);
  }

  private ObjectNode limits() {
    ObjectNode out = JSON.createObjectNode();
    out.putObject("SecurityGroupLimitSet").put("SecurityGroupLimit", 50).put("SecurityGroupPolicyLimit", policyQuota)
        .put("ReferedSecurityGroupLimit", 10).put("SecurityGroupInstanceLimit", 2000)
        .put("InstanceSecurityGroupLimit", 5);
    return out;
  }

  private ObjectNode taskResult(JsonNode req) {
    Object[] t = tasks.get(req.path("TaskId").asText());
    ObjectNode out = JSON.createObjectNode();
    if (t == null) {
      return error("ResourceNotFound", "The task does not exist");
    }
    int left = (Integer) t[2];
    if (left > 0) {
      t[2] = left - 1;
      return out.put("Status", "RUNNING").put("Output", "");
    }
    if (failTasks) {
      return out.put("Status", "FAILED").put("Output", "InternalError: the template could not be updated");
    }
    if (t[1] != null) {
      @SuppressWarnings("unchecked")
      List<String[]> list = (List<String[]>) t[1];
      templates.put((String) t[0], list);
      mutations.add("modify " + t[0] + " " + list.size());
      t[1] = null;
    }
    return out.put("Status", "SUCCESS").put("Output", "SUCCESS");
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode out = JSON.createObjectNode();
    out.putObject("Error").put("Code", code).put("Message", message);
    return out;
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String msg) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(msg.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}

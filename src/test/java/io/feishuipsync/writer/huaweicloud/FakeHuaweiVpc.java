package io.feishuipsync.writer.huaweicloud;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FAKE of Huawei Cloud's VPC API v3 for security group rules, served over real HTTP on loopback; no emulator of
 * it exists. It is not the service, but it refuses what the service would refuse of the calls the writer makes:
 *
 * <ul>
 *   <li>every request must carry an AK/SK signature ({@code SDK-HMAC-SHA256}), recomputed here from the request as
 *       received by Huawei Cloud's published algorithm (API Gateway's signing guide): canonical request of method,
 *       the path ending in a slash, the sorted percent-encoded query, the signed headers (which must include host
 *       and {@code x-sdk-date}) and the hex SHA-256 of the body; string to sign of the algorithm, the
 *       {@code X-Sdk-Date} (within 15 minutes) and the canonical request's hash; HMAC-SHA256 with the SK. An
 *       unknown AK or a wrong signature is answered 401 {@code APIGW.0301} and recorded in {@link #rejected};</li>
 *   <li>the project in the path must be the account's;</li>
 *   <li>it keeps each group's rules with ids, lists them in pages of {@code limit} with {@code marker}, creates a
 *       batch atomically (refused whole when the group's quota would be exceeded; a duplicate skipped with
 *       {@code ignore_duplicate}), deletes one rule by id (404 for an unknown id);</li>
 *   <li>on demand: throttling (429 {@code APIGW.0308}) or any other refusal, a missing IAM permission (403), a step
 *       run just before an action. Codes other than those two are this fake's own; the writer reads only the
 *       status for them.</li>
 * </ul>
 */
final class FakeHuaweiVpc implements AutoCloseable {

  static final String PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
  static final String AK = "HPUAFAKEACCESSKEY0001";
  static final String SK = "fake-huawei-sk-0123456789abcdefABCDEF";
  private static final String ALGORITHM = "SDK-HMAC-SHA256";
  private static final DateTimeFormatter SDK_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LIST = Pattern.compile("/v3/([^/]+)/vpc/security-group-rules");
  private static final Pattern CREATE = Pattern.compile(
      "/v3/([^/]+)/vpc/security-groups/([^/]+)/security-group-rules/batch-create");
  private static final Pattern DELETE = Pattern.compile("/v3/([^/]+)/vpc/security-group-rules/([^/]+)");
  private static final Pattern ADDRESS_GROUP = Pattern.compile("/v3/([^/]+)/vpc/address-groups/([^/]+)");

  /** An address group: IP version, capacity, entries. */
  static final class AddressGroup {
    final int ipVersion;
    int maxCapacity;
    final List<String> ipSet = new ArrayList<>();

    AddressGroup(int ipVersion, int maxCapacity) {
      this.ipVersion = ipVersion;
      this.maxCapacity = maxCapacity;
    }
  }

  final Map<String, AddressGroup> addressGroups = new LinkedHashMap<>();

  synchronized void addAddressGroup(String id, int ipVersion, int maxCapacity) {
    addressGroups.put(id, new AddressGroup(ipVersion, maxCapacity));
  }

  synchronized List<String> addresses(String id) {
    return List.copyOf(addressGroups.get(id).ipSet);
  }

  /** One rule as VPC keeps it. */
  record Rule(String id, String group, String direction, String ethertype, String protocol, String multiport,
      String remote, String action, int priority, String description) {

    boolean sameAs(Rule o) {
      return direction.equals(o.direction) && ethertype.equals(o.ethertype) && protocol.equals(o.protocol)
          && multiport.equals(o.multiport) && remote.equals(o.remote) && action.equals(o.action)
          && priority == o.priority;
    }
  }

  private final HttpServer server;
  final Map<String, List<Rule>> groups = new LinkedHashMap<>();
  final Map<String, Integer> quota = new HashMap<>();
  final List<String> mutations = new ArrayList<>();
  final List<String> rejected = new ArrayList<>();
  final List<String> calls = new ArrayList<>();
  private final Map<String, Deque<Integer>> failures = new HashMap<>();
  private final Map<String, Deque<Runnable>> before = new HashMap<>();
  private final Set<String> denied = new HashSet<>();

  FakeHuaweiVpc() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  synchronized void addGroup(String id, int ruleQuota) {
    groups.put(id, new ArrayList<>());
    quota.put(id, ruleQuota);
  }

  /** A rule someone else made (or ours, given our marker). */
  synchronized String addRule(String group, String cidr, String ports, String description) {
    String id = UUID.randomUUID().toString();
    groups.get(group).add(new Rule(id, group, "ingress", cidr.contains(":") ? "IPv6" : "IPv4", "tcp", ports, cidr,
        "allow", 1, description));
    return id;
  }

  synchronized List<Rule> rules(String group) {
    return List.copyOf(groups.get(group));
  }

  /** The next calls of {@code action} (List, Create, Delete) fail with these HTTP statuses, one each. */
  synchronized void failNext(String action, Integer... statuses) {
    failures.computeIfAbsent(action, a -> new ArrayDeque<>()).addAll(List.of(statuses));
  }

  synchronized void beforeNext(String action, Runnable step) {
    before.computeIfAbsent(action, a -> new ArrayDeque<>()).add(step);
  }

  /** The IAM policy lacks {@code action}. */
  synchronized void deny(String action) {
    denied.add(action);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private final CannedAnswers canned = new CannedAnswers();

  /** The next call of {@code action} is answered with {@code body} as it stands (a fuzz target's bytes). */
  void answerNextWith(String action, int status, byte[] body) {
    canned.add(action, status, body);
  }

  void forgetAnswers() {
    canned.clear();
  }

  /** The action a request is, as {@link #failNext} names them. */
  private static String actionOf(HttpExchange ex) {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (ADDRESS_GROUP.matcher(path).matches()) {
      return method.equals("PUT") ? "UpdateAddressGroup" : "ShowAddressGroup";
    }
    return method.equals("GET") ? "List" : method.equals("POST") ? "Create" : "Delete";
  }

  private static final class Refusal extends RuntimeException {
    final int status;
    final String code;

    Refusal(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readNBytes(1 << 20);
      if (canned.send(ex, actionOf(ex))) {
        return;
      }
      String requestId = UUID.randomUUID().toString().replace("-", "");
      int status;
      Object out;
      synchronized (this) {
        try {
          verify(ex, body);
          Object[] r = route(ex, body);
          status = (Integer) r[0];
          out = r[1];
        } catch (Refusal r) {
          status = r.status;
          out = Map.of("error_code", r.code, "error_msg", r.getMessage(), "request_id", requestId);
        }
      }
      ex.getResponseHeaders().set("X-Request-Id", requestId);
      if (out == null) {
        ex.sendResponseHeaders(status, -1);
        return;
      }
      byte[] bytes = JSON.writeValueAsBytes(out);
      ex.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  private Object[] route(HttpExchange ex, byte[] body) {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    Matcher m;
    String action;
    if (method.equals("GET") && (m = LIST.matcher(path)).matches()) {
      action = "List";
    } else if (method.equals("POST") && (m = CREATE.matcher(path)).matches()) {
      action = "Create";
    } else if (method.equals("DELETE") && (m = DELETE.matcher(path)).matches()) {
      action = "Delete";
    } else if (method.equals("GET") && (m = ADDRESS_GROUP.matcher(path)).matches()) {
      action = "ShowAddressGroup";
    } else if (method.equals("PUT") && (m = ADDRESS_GROUP.matcher(path)).matches()) {
      action = "UpdateAddressGroup";
    } else {
      throw new Refusal(404, "APIGW.0101", "The API does not exist or has not been published in the environment.");
    }
    if (!PROJECT.equals(m.group(1))) {
      throw new Refusal(403, "FAKE.Project", "the project in the path is not this account's");
    }
    if (denied.contains(action)) {
      throw new Refusal(403, "FAKE.PolicyNotAuthorized", "Policy doesn't allow this action to be performed.");
    }
    Deque<Integer> f = failures.get(action);
    if (f != null && !f.isEmpty()) {
      int s = f.poll();
      throw s == 429 ? new Refusal(429, "APIGW.0308", "The throttling threshold has been reached.")
          : new Refusal(s, "FAKE.Scripted", "scripted " + s);
    }
    Deque<Runnable> b = before.get(action);
    if (b != null && !b.isEmpty()) {
      b.poll().run();
    }
    calls.add(action);
    return switch (action) {
      case "List" -> new Object[] {200, list(Signing.query(ex.getRequestURI().getRawQuery()))};
      case "Create" -> new Object[] {201, create(m.group(2), body)};
      case "ShowAddressGroup" -> new Object[] {200, showAddressGroup(m.group(2))};
      case "UpdateAddressGroup" -> new Object[] {200, updateAddressGroup(m.group(2), body)};
      default -> new Object[] {204, delete(m.group(2))};
    };
  }

  private Map<String, Object> list(Map<String, List<String>> q) {
    List<String> wanted = q.getOrDefault("security_group_id", List.of());
    int limit = Integer.parseInt(q.getOrDefault("limit", List.of("2000")).get(0));
    if (limit < 1 || limit > 2000) {
      throw new Refusal(400, "FAKE.Limit", "limit must be 1..2000");
    }
    List<Rule> all = new ArrayList<>();
    groups.forEach((g, rules) -> {
      if (wanted.isEmpty() || wanted.contains(g)) {
        all.addAll(rules);
      }
    });
    int from = 0;
    if (q.containsKey("marker")) {
      String marker = q.get("marker").get(0);
      from = -1;
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id().equals(marker)) {
          from = i + 1;
        }
      }
      if (from < 0) {
        throw new Refusal(400, "FAKE.Marker", "marker is not a rule id of this listing");
      }
    }
    int to = Math.min(all.size(), from + limit);
    List<Map<String, Object>> page = new ArrayList<>();
    for (Rule r : all.subList(from, to)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.id());
      m.put("security_group_id", r.group());
      m.put("direction", r.direction());
      m.put("ethertype", r.ethertype());
      m.put("protocol", r.protocol());
      m.put("multiport", r.multiport());
      m.put("remote_ip_prefix", r.remote());
      m.put("action", r.action());
      m.put("priority", r.priority());
      m.put("description", r.description());
      m.put("project_id", PROJECT);
      m.put("enabled", true);
      page.add(m);
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("current_count", page.size());
    if (to < all.size()) {
      info.put("next_marker", all.get(to - 1).id());
    }
    return Map.of("request_id", "fake", "security_group_rules", page, "page_info", info);
  }

  private Map<String, Object> create(String group, byte[] body) {
    List<Rule> rules = groups.get(group);
    if (rules == null) {
      throw new Refusal(404, "FAKE.GroupNotFound", "Security group " + group + " does not exist.");
    }
    JsonNode req;
    try {
      req = JSON.readTree(body);
    } catch (IOException e) {
      throw new Refusal(400, "FAKE.Body", "the body is not JSON");
    }
    boolean ignoreDuplicate = req.path("ignore_duplicate").asBoolean(false);
    List<Rule> add = new ArrayList<>();
    for (JsonNode o : req.path("security_group_rules")) {
      Rule r = new Rule(UUID.randomUUID().toString(), group, o.path("direction").asText(),
          o.path("ethertype").asText(), o.path("protocol").asText(), o.path("multiport").asText(),
          o.path("remote_ip_prefix").asText(), o.path("action").asText("allow"), o.path("priority").asInt(1),
          o.path("description").asText(""));
      if (rules.stream().anyMatch(r::sameAs) || add.stream().anyMatch(r::sameAs)) {
        if (!ignoreDuplicate) {
          throw new Refusal(409, "FAKE.Duplicate", "Security group rule already exists.");
        }
        continue;
      }
      add.add(r);
    }
    if (add.isEmpty() && !req.path("security_group_rules").elements().hasNext()) {
      throw new Refusal(400, "FAKE.Empty", "no rules");
    }
    if (rules.size() + add.size() > quota.get(group)) {
      throw new Refusal(400, "FAKE.Quota", "Quota exceeded for resources: security_group_rule.");
    }
    rules.addAll(add);
    add.forEach(r -> mutations.add("create " + r.remote() + " " + r.multiport()));
    return Map.of("request_id", "fake", "security_group_rules", List.of());
  }

  private AddressGroup addressGroup(String id) {
    AddressGroup g = addressGroups.get(id);
    if (g == null) {
      throw new Refusal(404, "FAKE.AddressGroupNotFound", "Address group " + id + " does not exist.");
    }
    return g;
  }

  private Map<String, Object> showAddressGroup(String id) {
    AddressGroup g = addressGroup(id);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("name", "fake");
    out.put("ip_version", g.ipVersion);
    out.put("max_capacity", g.maxCapacity);
    out.put("ip_set", g.ipSet);
    out.put("status", "NORMAL");
    return Map.of("request_id", "fake", "address_group", out);
  }

  /** The whole set, applied whole or refused: an entry of the other version, more than the capacity. */
  private Map<String, Object> updateAddressGroup(String id, byte[] body) {
    AddressGroup g = addressGroup(id);
    List<String> next = new ArrayList<>();
    try {
      JSON.readTree(body).path("address_group").path("ip_set").forEach(n -> next.add(n.asText()));
    } catch (IOException e) {
      throw new Refusal(400, "FAKE.Body", "the body is not JSON");
    }
    for (String ip : next) {
      if (ip.contains(":") != (g.ipVersion == 6)) {
        throw new Refusal(400, "FAKE.IpVersion", ip + " is not of the group's IP version");
      }
    }
    if (next.size() > g.maxCapacity) {
      throw new Refusal(400, "FAKE.Capacity", "The number of entries exceeds max_capacity.");
    }
    g.ipSet.clear();
    g.ipSet.addAll(next);
    mutations.add("update " + id + " " + next.size());
    return showAddressGroup(id);
  }

  private Object delete(String id) {
    for (List<Rule> rules : groups.values()) {
      for (Rule r : rules) {
        if (r.id().equals(id)) {
          rules.remove(r);
          mutations.add("delete " + r.remote() + " " + r.multiport());
          return null;
        }
      }
    }
    throw new Refusal(404, "FAKE.RuleNotFound", "Security group rule " + id + " does not exist.");
  }

  /** Checks the AK/SK signature as API Gateway does; every refusal is recorded in {@link #rejected}. */
  private void verify(HttpExchange ex, byte[] body) {
    try {
      verified(ex, body);
    } catch (Refusal r) {
      rejected.add(r.code + ": " + r.getMessage());
      throw r;
    }
  }

  private void verified(HttpExchange ex, byte[] body) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith(ALGORITHM + " ")) {
      throw new Refusal(401, "APIGW.0301", "Incorrect IAM authentication information: no " + ALGORITHM
          + " Authorization header");
    }
    Map<String, String> parts = new HashMap<>();
    for (String p : auth.substring(ALGORITHM.length() + 1).split(",")) {
      int eq = p.indexOf('=');
      if (eq > 0) {
        parts.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
      }
    }
    if (!AK.equals(parts.get("Access"))) {
      throw new Refusal(401, "APIGW.0301", "Incorrect IAM authentication information: ak not found");
    }
    String signedHeaders = String.valueOf(parts.get("SignedHeaders"));
    List<String> signed = List.of(signedHeaders.split(";"));
    if (!signed.contains("host") || !signed.contains("x-sdk-date")
        || !signed.equals(signed.stream().sorted().distinct().toList())) {
      throw new Refusal(401, "APIGW.0301", "Incorrect IAM authentication information: SignedHeaders must list,"
          + " sorted, host and x-sdk-date");
    }
    String date = ex.getRequestHeaders().getFirst("X-Sdk-Date");
    try {
      LocalDateTime at = LocalDateTime.parse(String.valueOf(date), SDK_DATE);
      if (Duration.between(at.toInstant(ZoneOffset.UTC), java.time.Instant.now()).abs().toMinutes() > 15) {
        throw new Refusal(401, "APIGW.0303", "Incorrect app authentication information: the request is expired");
      }
    } catch (DateTimeParseException e) {
      throw new Refusal(401, "APIGW.0301", "Incorrect IAM authentication information: X-Sdk-Date is malformed");
    }
    StringBuilder c = new StringBuilder();
    String path = ex.getRequestURI().getRawPath();
    c.append(ex.getRequestMethod()).append('\n').append(path.endsWith("/") ? path : path + "/").append('\n');
    List<String> q = new ArrayList<>();
    Signing.query(ex.getRequestURI().getRawQuery()).forEach((k, vs) -> vs.stream().sorted()
        .forEach(v -> q.add(Signing.encode(k) + "=" + Signing.encode(v))));
    c.append(String.join("&", q)).append('\n');
    for (String h : signed) {
      String v = ex.getRequestHeaders().getFirst(h);
      c.append(h).append(':').append(v == null ? "" : v.strip()).append('\n');
    }
    c.append('\n').append(signedHeaders).append('\n').append(Signing.hex(Signing.sha256(body)));
    String toSign = ALGORITHM + "\n" + date + "\n" + Signing.hex(Signing.sha256(c.toString().getBytes(StandardCharsets.UTF_8)));
    String expected = Signing.hex(Signing.hmac(SK, toSign));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        String.valueOf(parts.get("Signature")).getBytes(StandardCharsets.UTF_8))) {
      throw new Refusal(401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail");
    }
  }
}

package io.feishuipsync.writer.volcengine;

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

/**
 * A FAKE of Volcano Engine's OpenAPI for VPC security groups ({@code vpc}, 2020-04-01) and CLB access control lists
 * ({@code clb}, 2020-04-01), served over real HTTP on loopback; no emulator of either exists. It refuses what the
 * service would refuse of the calls the writers make:
 *
 * <ul>
 *   <li>every request must carry the {@code HMAC-SHA256} signature, recomputed here independently of the writer's
 *       signer, from the request as received, by Volcano Engine's published signing guide: canonical request of
 *       method, path, sorted RFC 3986-encoded query, the signed headers (host and x-date at least), the body's hex
 *       SHA-256 (which must equal {@code X-Content-Sha256}); string to sign of the algorithm, {@code X-Date}
 *       (within 15 minutes), the credential scope {@code date/region/service/request} and the canonical request's
 *       hash; the key derived from the secret through date, region, service and {@code request}. An unknown
 *       AccessKey or a wrong signature is answered {@code SignatureDoesNotMatch}/{@code InvalidAccessKey} and
 *       recorded in {@link #rejected};</li>
 *   <li>security groups: rules without ids, named by protocol, ports, source, policy and priority as the service
 *       names them; AuthorizeSecurityGroupIngress adds one (refused over the group's quota, or when the same rule is
 *       there: {@code InvalidSecurityRule.Duplicate}, this fake's name); RevokeSecurityGroupIngress removes one by
 *       those fields ({@code InvalidSecurityRule.NotFound} when there is none);</li>
 *   <li>CLB ACLs: entries with descriptions, listeners (white or black); AddAclEntries at most 50, ignoring an
 *       entry that is there, refused whole over the quota; RemoveAclEntries at most 50, refused whole for an entry
 *       that is not there;</li>
 *   <li>on demand: throttling ({@code FlowLimitExceeded}, HTTP 429), a missing IAM permission
 *       ({@code AccessDenied}, 403), any other code, a step run just before an action.</li>
 * </ul>
 */
final class FakeVolc implements AutoCloseable {

  static final String REGION = "cn-beijing";
  static final String AK = "AKLTFakeVolcKey000000001";
  static final String SK = "fake-volc-secret-0123456789ABCDEFabcdef==";
  private static final DateTimeFormatter X_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A rule as the service names it, with its direction and description. */
  record Rule(String direction, String protocol, int portStart, int portEnd, String cidr, String policy,
      int priority, String description) {

    boolean sameAs(Rule o) {
      return direction.equals(o.direction) && protocol.equals(o.protocol) && portStart == o.portStart
          && portEnd == o.portEnd && cidr.equals(o.cidr) && policy.equals(o.policy) && priority == o.priority;
    }
  }

  /** A CLB ACL: its quota, entries, listeners ({@code id:port:white}). */
  static final class Acl {
    int quota;
    final Map<String, String> entries = new LinkedHashMap<>();
    final List<String> listeners = new ArrayList<>();

    Acl(int quota) {
      this.quota = quota;
    }
  }

  private final HttpServer server;
  final Map<String, List<Rule>> groups = new LinkedHashMap<>();
  final Map<String, Integer> quota = new HashMap<>();
  final Map<String, Acl> acls = new LinkedHashMap<>();
  final List<String> mutations = new ArrayList<>();
  final List<String> rejected = new ArrayList<>();
  final List<String> calls = new ArrayList<>();
  /** Set when a change left an ACL that a listener uses as its whitelist with no entry. */
  boolean openedToAll;
  private final Map<String, Deque<String>> failures = new HashMap<>();
  private final Map<String, Deque<Runnable>> before = new HashMap<>();
  private final Set<String> denied = new HashSet<>();

  FakeVolc() throws IOException {
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
  synchronized void addRule(String group, String cidr, int port, String description) {
    groups.get(group).add(new Rule("ingress", "tcp", port, port, cidr, "accept", 1, description));
  }

  synchronized List<Rule> rules(String group) {
    return List.copyOf(groups.get(group));
  }

  synchronized void addAcl(String id, int entryQuota) {
    acls.put(id, new Acl(entryQuota));
  }

  synchronized Map<String, String> entries(String acl) {
    return Map.copyOf(acls.get(acl).entries);
  }

  /** The next calls of {@code action} fail with these codes, one each. */
  synchronized void failNext(String action, String... codes) {
    failures.computeIfAbsent(action, a -> new ArrayDeque<>()).addAll(List.of(codes));
  }

  synchronized void beforeNext(String action, Runnable step) {
    before.computeIfAbsent(action, a -> new ArrayDeque<>()).add(step);
  }

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
      if (canned.send(ex, Signing.firstValues(ex.getRequestURI().getRawQuery()).get("Action"))) {
        return;
      }
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("RequestId", UUID.randomUUID().toString().replace("-", ""));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("ResponseMetadata", meta);
      int status = 200;
      synchronized (this) {
        try {
          String[] scope = verify(ex, body);
          Map<String, String> q = Signing.firstValues(ex.getRequestURI().getRawQuery());
          String action = q.getOrDefault("Action", "");
          meta.put("Action", action);
          meta.put("Version", q.get("Version"));
          meta.put("Service", scope[2]);
          meta.put("Region", scope[1]);
          out.put("Result", act(scope[2], action, q));
        } catch (Refusal r) {
          status = r.status;
          meta.put("Error", Map.of("Code", r.code, "Message", r.getMessage()));
        }
      }
      byte[] bytes = JSON.writeValueAsBytes(out);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  private Object act(String service, String action, Map<String, String> q) {
    if (!"2020-04-01".equals(q.get("Version"))) {
      throw new Refusal(400, "InvalidVersion", "The Version is not valid.");
    }
    if (denied.contains(action)) {
      throw new Refusal(403, "AccessDenied", "User is not authorized to perform: " + service + ":" + action);
    }
    Deque<String> f = failures.get(action);
    if (f != null && !f.isEmpty()) {
      String code = f.poll();
      throw new Refusal(code.equals("FlowLimitExceeded") ? 429 : 400, code, "scripted " + code);
    }
    Deque<Runnable> b = before.get(action);
    if (b != null && !b.isEmpty()) {
      b.poll().run();
    }
    calls.add(action);
    return switch (service + ":" + action) {
      case "vpc:DescribeSecurityGroupAttributes" -> describeGroup(q);
      case "vpc:AuthorizeSecurityGroupIngress" -> authorize(q);
      case "vpc:RevokeSecurityGroupIngress" -> revoke(q);
      case "clb:DescribeAclAttributes" -> describeAcl(q);
      case "clb:AddAclEntries" -> addEntries(q);
      case "clb:RemoveAclEntries" -> removeEntries(q);
      default -> throw new Refusal(404, "InvalidActionOrVersion", "Could not find operation " + action);
    };
  }

  private List<Rule> group(Map<String, String> q) {
    List<Rule> rules = groups.get(q.get("SecurityGroupId"));
    if (rules == null) {
      throw new Refusal(404, "InvalidSecurityGroup.NotFound", "The specified security group does not exist.");
    }
    return rules;
  }

  private Map<String, Object> describeGroup(Map<String, String> q) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Rule r : group(q)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Direction", r.direction());
      m.put("Protocol", r.protocol());
      m.put("PortStart", r.portStart());
      m.put("PortEnd", r.portEnd());
      m.put("CidrIp", r.cidr());
      m.put("SourceGroupId", "");
      m.put("PrefixListId", "");
      m.put("Policy", r.policy());
      m.put("Priority", r.priority());
      m.put("Description", r.description());
      out.add(m);
    }
    return Map.of("SecurityGroupId", q.get("SecurityGroupId"), "Permissions", out);
  }

  private Rule rule(Map<String, String> q) {
    try {
      return new Rule("ingress", q.get("Protocol"), Integer.parseInt(q.get("PortStart")),
          Integer.parseInt(q.get("PortEnd")), q.get("CidrIp"), q.getOrDefault("Policy", "accept"),
          Integer.parseInt(q.getOrDefault("Priority", "1")), q.getOrDefault("Description", ""));
    } catch (RuntimeException e) {
      throw new Refusal(400, "MissingParameter", "Protocol, PortStart, PortEnd and CidrIp are required");
    }
  }

  private Map<String, Object> authorize(Map<String, String> q) {
    List<Rule> rules = group(q);
    Rule r = rule(q);
    if (rules.stream().anyMatch(r::sameAs)) {
      throw new Refusal(400, "InvalidSecurityRule.Duplicate", "The security group rule already exists.");
    }
    if (rules.size() + 1 > quota.get(q.get("SecurityGroupId"))) {
      throw new Refusal(400, "QuotaExceeded.SecurityGroupRule", "The number of rules exceeds the quota.");
    }
    rules.add(r);
    mutations.add("authorize " + r.cidr() + " " + r.portStart());
    return Map.of();
  }

  private Map<String, Object> revoke(Map<String, String> q) {
    List<Rule> rules = group(q);
    Rule r = rule(q);
    Rule found = rules.stream().filter(x -> x.sameAs(r)).findFirst()
        .orElseThrow(() -> new Refusal(404, "InvalidSecurityRule.NotFound", "The security group rule does not exist."));
    rules.remove(found);
    mutations.add("revoke " + r.cidr() + " " + r.portStart());
    return Map.of();
  }

  private Acl acl(Map<String, String> q) {
    Acl a = acls.get(q.get("AclId"));
    if (a == null) {
      throw new Refusal(404, "InvalidAcl.NotFound", "The specified ACL does not exist.");
    }
    return a;
  }

  private Map<String, Object> describeAcl(Map<String, String> q) {
    Acl a = acl(q);
    List<Map<String, Object>> entries = new ArrayList<>();
    a.entries.forEach((e, d) -> entries.add(Map.of("Entry", e, "Description", d)));
    List<Map<String, Object>> listeners = new ArrayList<>();
    for (String l : a.listeners) {
      String[] f = l.split(":");
      listeners.add(Map.of("ListenerId", f[0], "Port", Integer.parseInt(f[1]), "Protocol", "HTTPS", "AclType",
          f[2]));
    }
    return Map.of("AclId", q.get("AclId"), "AclEntries", entries, "AclEntryCount", entries.size(), "Listeners",
        listeners, "Status", "Active");
  }

  private Map<String, Object> addEntries(Map<String, String> q) {
    Acl a = acl(q);
    Map<String, String> add = new LinkedHashMap<>();
    for (int i = 1; q.containsKey("AclEntries." + i + ".Entry"); i++) {
      String e = q.get("AclEntries." + i + ".Entry");
      if (!a.entries.containsKey(e)) {
        add.put(e, q.getOrDefault("AclEntries." + i + ".Description", ""));
      }
    }
    if (q.keySet().stream().filter(k -> k.endsWith(".Entry")).count() > 50) {
      throw new Refusal(400, "InvalidParameter.AclEntries", "at most 50 entries a call");
    }
    if (a.entries.size() + add.size() > a.quota) {
      throw new Refusal(400, "QuotaExceeded.AclEntry", "The number of entries exceeds the quota of the ACL.");
    }
    a.entries.putAll(add);
    add.keySet().forEach(e -> changed(a, "add " + e));
    return Map.of();
  }

  private Map<String, Object> removeEntries(Map<String, String> q) {
    Acl a = acl(q);
    List<String> remove = new ArrayList<>();
    for (int i = 1; q.containsKey("Entries." + i); i++) {
      remove.add(q.get("Entries." + i));
    }
    if (remove.isEmpty() || remove.size() > 50) {
      throw new Refusal(400, "InvalidParameter.Entries", "1..50 entries a call");
    }
    for (String e : remove) {
      if (!a.entries.containsKey(e)) {
        throw new Refusal(400, "InvalidAclEntry.NotFound", "The entry " + e + " does not exist.");
      }
    }
    remove.forEach(e -> {
      a.entries.remove(e);
      changed(a, "remove " + e);
    });
    return Map.of();
  }

  private void changed(Acl a, String what) {
    mutations.add(what);
    if (a.entries.isEmpty() && a.listeners.stream().anyMatch(l -> l.endsWith(":white"))) {
      openedToAll = true;
    }
  }

  /** Checks the signature as the service does; returns the credential scope's parts. */
  private String[] verify(HttpExchange ex, byte[] body) {
    try {
      return verified(ex, body);
    } catch (Refusal r) {
      rejected.add(r.code + ": " + r.getMessage());
      throw r;
    }
  }

  private String[] verified(HttpExchange ex, byte[] body) {
    String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
    if (!auth.startsWith("HMAC-SHA256 ")) {
      throw new Refusal(401, "MissingAuthenticationToken", "no HMAC-SHA256 Authorization header");
    }
    Map<String, String> parts = new HashMap<>();
    for (String p : auth.substring("HMAC-SHA256 ".length()).split(",")) {
      int eq = p.indexOf('=');
      if (eq > 0) {
        parts.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
      }
    }
    String[] credential = String.valueOf(parts.get("Credential")).split("/");
    if (credential.length != 5 || !credential[4].equals("request")) {
      throw new Refusal(401, "InvalidCredential", "Credential is not AK/date/region/service/request");
    }
    if (!AK.equals(credential[0])) {
      throw new Refusal(401, "InvalidAccessKey", "The AccessKey is not valid.");
    }
    String date = String.valueOf(ex.getRequestHeaders().getFirst("X-Date"));
    try {
      Instant at = LocalDateTime.parse(date, X_DATE).toInstant(ZoneOffset.UTC);
      if (Duration.between(at, Instant.now()).abs().toMinutes() > 15 || !date.startsWith(credential[1])) {
        throw new Refusal(401, "InvalidTimestamp", "X-Date is expired or does not match the credential's date");
      }
    } catch (DateTimeParseException e) {
      throw new Refusal(401, "InvalidTimestamp", "X-Date is malformed");
    }
    String bodyHash = Signing.hex(Signing.sha256(body));
    if (!bodyHash.equals(ex.getRequestHeaders().getFirst("X-Content-Sha256"))) {
      throw new Refusal(401, "SignatureDoesNotMatch", "X-Content-Sha256 does not match the body");
    }
    String signedHeaders = String.valueOf(parts.get("SignedHeaders"));
    List<String> signed = List.of(signedHeaders.split(";"));
    if (!signed.contains("host") || !signed.contains("x-date")) {
      throw new Refusal(401, "SignatureDoesNotMatch", "host and x-date must be signed");
    }
    StringBuilder c = new StringBuilder();
    c.append(ex.getRequestMethod()).append('\n').append(ex.getRequestURI().getRawPath()).append('\n');
    List<String> q = new ArrayList<>();
    Signing.firstValues(ex.getRequestURI().getRawQuery()).forEach((k, v) -> q.add(Signing.encode(k) + "=" + Signing.encode(v)));
    c.append(String.join("&", q)).append('\n');
    for (String h : signed) {
      c.append(h).append(':').append(String.valueOf(ex.getRequestHeaders().getFirst(h)).strip()).append('\n');
    }
    c.append('\n').append(signedHeaders).append('\n').append(bodyHash);
    String scope = String.join("/", credential[1], credential[2], credential[3], credential[4]);
    String toSign = "HMAC-SHA256\n" + date + "\n" + scope + "\n"
        + Signing.hex(Signing.sha256(c.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = SK.getBytes(StandardCharsets.UTF_8);
    for (String step : new String[] {credential[1], credential[2], credential[3], "request"}) {
      key = Signing.hmac(key, step);
    }
    if (!MessageDigest.isEqual(Signing.hex(Signing.hmac(key, toSign)).getBytes(StandardCharsets.UTF_8),
        String.valueOf(parts.get("Signature")).getBytes(StandardCharsets.UTF_8))) {
      throw new Refusal(401, "SignatureDoesNotMatch", "The request signature we calculated does not match the"
          + " signature you provided.");
    }
    if (!REGION.equals(credential[2])) {
      throw new Refusal(400, "InvalidRegion", "The region is not valid.");
    }
    return new String[] {credential[1], credential[2], credential[3]};
  }
}

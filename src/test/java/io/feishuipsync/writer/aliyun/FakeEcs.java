package io.feishuipsync.writer.aliyun;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A FAKE of the Alibaba Cloud ECS OpenAPI (version 2014-05-26), served over real HTTP on loopback; no emulator of
 * ECS exists. It is not the service, but it refuses what the service would refuse of the calls the writer makes:
 *
 * <ul>
 *   <li>every request must carry a V3 signature ({@code ACS3-HMAC-SHA256}, the one tea-openapi sends by default),
 *       recomputed here from the request as received by Alibaba Cloud's published algorithm: canonical request of
 *       method, path, sorted percent-encoded query, the signed headers (which must include host and every
 *       {@code x-acs-*} header and the content type), and the body hash, which must match the body; the
 *       {@code x-acs-date} must be within 15 minutes and a nonce may not be used twice. An unknown AccessKey id, a
 *       wrong secret or a tampered request is answered as the service answers it, and recorded in
 *       {@link #rejected};</li>
 *   <li>it keeps each group's rules (both directions, with rule ids), answers DescribeSecurityGroupAttribute in
 *       pages of {@code MaxResults} (10..1000) with an opaque {@code NextToken}, and refuses unknown groups;</li>
 *   <li>AuthorizeSecurityGroup adds up to 100 rules atomically, refusing anything beyond the group's rule quota
 *       (both directions and families counted together) with nothing added; a rule the group already holds (under
 *       any description) is answered with success and not created, as the service does (found by the trust
 *       review's stand-in of the API); RevokeSecurityGroup removes rules by id atomically and refuses an unknown
 *       id; ModifySecurityGroupRule changes a rule's description by its id;</li>
 *   <li>it keeps prefix lists (family, MaxEntries, entries) and applies a ModifyPrefixList whole or refuses it
 *       (an entry added twice or removed while absent, the other family, more than MaxEntries);</li>
 *   <li>on demand it answers throttling or any other error code, refuses an action as RAM would
 *       ({@code Forbidden.RAM}), or runs a step just before an action (another client changing the group).</li>
 * </ul>
 *
 * Every mutation is logged in order in {@link #mutations}.
 */
final class FakeEcs implements AutoCloseable {

  static final String REGION = "cn-hangzhou";
  static final String ACCESS_KEY_ID = "LTAI5tFakeKeyId0001";
  static final String ACCESS_KEY_SECRET = "fake-ecs-secret-0123456789abcdef";
  private static final String ALGORITHM = "ACS3-HMAC-SHA256";
  private static final Set<String> REQUIRED_SIGNED = Set.of("host", "x-acs-action", "x-acs-version", "x-acs-date",
      "x-acs-signature-nonce", "x-acs-content-sha256");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One rule as ECS keeps it. */
  record Rule(String id, String direction, String protocol, String portRange, String v4, String v6,
      String description, String policy, String priority) {

    boolean sameAs(Rule o) {
      return direction.equals(o.direction) && protocol.equalsIgnoreCase(o.protocol) && portRange.equals(o.portRange)
          && String.valueOf(v4).equals(String.valueOf(o.v4)) && String.valueOf(v6).equals(String.valueOf(o.v6))
          && policy.equalsIgnoreCase(o.policy) && priority.equals(o.priority);
    }
  }

  private final HttpServer server;
  final Map<String, List<Rule>> groups = new LinkedHashMap<>();
  final Map<String, Integer> quota = new HashMap<>();
  final Map<String, PrefixList> lists = new LinkedHashMap<>();
  final List<String> mutations = new ArrayList<>();
  final List<String> rejected = new ArrayList<>();
  /** Each call accepted, as {@code Action} or {@code Action NextToken}. */
  final List<String> calls = new ArrayList<>();
  private final Map<String, Deque<String>> failures = new HashMap<>();
  private final Map<String, Deque<Runnable>> before = new HashMap<>();
  private final Set<String> denied = new HashSet<>();
  private final Set<String> nonces = new HashSet<>();
  private final AtomicInteger ids = new AtomicInteger(1000);

  FakeEcs() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The endpoint setting that reaches this fake. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized String addGroup(String id, int ruleQuota) {
    groups.put(id, new ArrayList<>());
    quota.put(id, ruleQuota);
    return id;
  }

  /** A rule someone else made (or ours, given our marker); returns its id. */
  synchronized String addRule(String group, String direction, String cidr, String ports, String description,
      String policy) {
    String id = "sgr-" + ids.incrementAndGet();
    boolean v6 = cidr.contains(":");
    groups.get(group).add(new Rule(id, direction, "TCP", ports, v6 ? null : cidr, v6 ? cidr : null, description,
        policy, "1"));
    return id;
  }

  synchronized void removeRule(String group, String cidr) {
    groups.get(group).removeIf(r -> cidr.equals(r.v4()) || cidr.equals(r.v6()));
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

  synchronized List<Rule> rules(String group) {
    return List.copyOf(groups.get(group));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * The next call of {@code action} is answered with {@code body} as it stands and HTTP {@code status}, whatever it
   * holds (a fuzz target's bytes); the call changes nothing.
   */
  synchronized void answerNextWith(String action, int status, byte[] body) {
    raw.computeIfAbsent(action, a -> new java.util.ArrayDeque<>()).add(new Raw(status, body));
  }

  private record Raw(int status, byte[] body) {}

  /** Drops the answers {@link #answerNextWith} queued that no call took. */
  synchronized void forgetAnswers() {
    raw.clear();
  }

  private final Map<String, java.util.Deque<Raw>> raw = new java.util.HashMap<>();

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readNBytes(1 << 20);
      Raw given;
      synchronized (this) {
        String action = ex.getRequestHeaders().getFirst("x-acs-action");
        given = action != null && raw.containsKey(action) ? raw.get(action).poll() : null;
      }
      if (given != null) {
        ex.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        ex.sendResponseHeaders(given.status(), given.body().length == 0 ? -1 : given.body().length);
        ex.getResponseBody().write(given.body());
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

  private static final class Refusal extends RuntimeException {
    final int status;
    final String code;

    Refusal(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private Answer answer(HttpExchange ex, byte[] body) {
    String requestId = "FAKE-" + ids.incrementAndGet();
    try {
      Map<String, String> params = verify(ex, body);
      String action = ex.getRequestHeaders().getFirst("x-acs-action");
      if (!"2014-05-26".equals(ex.getRequestHeaders().getFirst("x-acs-version"))) {
        throw new Refusal(400, "InvalidVersion", "Specified parameter Version is not valid.");
      }
      if (!REGION.equals(params.get("RegionId"))) {
        throw new Refusal(400, "InvalidRegionId.NotFound", "The specified RegionId does not exist.");
      }
      if (denied.contains(action)) {
        throw new Refusal(403, "Forbidden.RAM", "User not authorized to operate on the specified resource, or this"
            + " API doesn't support RAM.");
      }
      Deque<String> f = failures.get(action);
      if (f != null && !f.isEmpty()) {
        String code = f.poll();
        throw new Refusal(code.startsWith("Throttling") ? 400 : 403, code, "scripted " + code);
      }
      Deque<Runnable> b = before.get(action);
      if (b != null && !b.isEmpty()) {
        b.poll().run();
      }
      if (action.endsWith("PrefixList") || action.equals("DescribePrefixListAttributes")) {
        Map<String, Object> out = prefixList(action, params);
        calls.add(action);
        out.put("RequestId", requestId);
        return new Answer(200, out);
      }
      List<Rule> rules = groups.get(params.get("SecurityGroupId"));
      if (rules == null) {
        throw new Refusal(404, "InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.");
      }
      Map<String, Object> out = switch (action) {
        case "DescribeSecurityGroupAttribute" -> describe(params, rules);
        case "AuthorizeSecurityGroup" -> authorize(params, rules);
        case "RevokeSecurityGroup" -> revoke(params, rules);
        case "ModifySecurityGroupRule" -> modifyRule(params, rules);
        default -> throw new Refusal(404, "InvalidAction.NotFound", "Specified api is not found.");
      };
      calls.add(action + (params.containsKey("NextToken") ? " " + params.get("NextToken") : ""));
      out.put("RequestId", requestId);
      return new Answer(200, out);
    } catch (Refusal r) {
      Map<String, Object> err = new LinkedHashMap<>();
      err.put("RequestId", requestId);
      err.put("HostId", "ecs." + REGION + ".aliyuncs.com");
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
    if (!hex(sha256(body)).equals(contentHash)) {
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
    TreeMap<String, String> query = decode(ex.getRequestURI().getRawQuery());
    StringBuilder canonical = new StringBuilder();
    canonical.append(ex.getRequestMethod()).append('\n').append(ex.getRequestURI().getRawPath()).append('\n');
    List<String> q = new ArrayList<>();
    query.forEach((k, v) -> q.add(encode(k) + "=" + encode(v)));
    canonical.append(String.join("&", q)).append('\n');
    for (String h : signed) {
      String value = ex.getRequestHeaders().getFirst(h);
      canonical.append(h).append(':').append(value == null ? "" : value.strip()).append('\n');
    }
    // CanonicalHeaders ends with its own newline, and the published form adds one more before SignedHeaders.
    canonical.append('\n').append(signedHeaders).append('\n').append(contentHash);
    String stringToSign = ALGORITHM + "\n" + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    String expected = hex(hmac(ACCESS_KEY_SECRET, stringToSign));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        signature.getBytes(StandardCharsets.UTF_8))) {
      throw new Refusal(400, "SignatureDoesNotMatch", "Specified signature does not match our calculation.");
    }
    Map<String, String> params = new HashMap<>(query);
    String type = ex.getRequestHeaders().getFirst("content-type");
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      params.putAll(decode(new String(body, StandardCharsets.UTF_8)));
    }
    return params;
  }

  private Map<String, Object> describe(Map<String, String> params, List<Rule> rules) {
    int max = Integer.parseInt(params.getOrDefault("MaxResults", "0"));
    if (max < 10 || max > 1000) {
      throw new Refusal(400, "InvalidMaxResults.Malformed", "MaxResults must be 10..1000, this fake pages always");
    }
    String direction = params.getOrDefault("Direction", "all");
    List<Rule> listed = rules.stream().filter(r -> direction.equals("all") || r.direction().equals(direction))
        .toList();
    int from = 0;
    if (params.containsKey("NextToken")) {
      try {
        String[] t = new String(Base64.getUrlDecoder().decode(params.get("NextToken")), StandardCharsets.UTF_8)
            .split(":");
        if (!t[0].equals(params.get("SecurityGroupId"))) {
          throw new IllegalArgumentException("token of another group");
        }
        from = Integer.parseInt(t[1]);
      } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
        throw new Refusal(400, "InvalidNextToken.Malformed", "The specified NextToken is invalid.");
      }
    }
    int to = Math.min(listed.size(), from + max);
    List<Map<String, Object>> page = new ArrayList<>();
    for (Rule r : listed.subList(Math.min(from, to), to)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("SecurityGroupRuleId", r.id());
      m.put("Direction", r.direction());
      m.put("IpProtocol", r.protocol().toUpperCase(Locale.ROOT));
      m.put("PortRange", r.portRange());
      m.put("SourceCidrIp", r.v4() == null ? "" : r.v4());
      m.put("Ipv6SourceCidrIp", r.v6() == null ? "" : r.v6());
      m.put("SourceGroupId", "");
      m.put("SourcePrefixListId", "");
      m.put("Description", r.description());
      m.put("Policy", r.policy().equalsIgnoreCase("accept") ? "Accept" : "Drop");
      m.put("Priority", r.priority());
      m.put("NicType", "intranet");
      page.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("RegionId", REGION);
    out.put("SecurityGroupId", params.get("SecurityGroupId"));
    out.put("Permissions", Map.of("Permission", page));
    out.put("NextToken", to < listed.size() ? Base64.getUrlEncoder().withoutPadding()
        .encodeToString((params.get("SecurityGroupId") + ":" + to).getBytes(StandardCharsets.UTF_8)) : "");
    return out;
  }

  private Map<String, Object> authorize(Map<String, String> params, List<Rule> rules) {
    List<Rule> add = new ArrayList<>();
    int sent = 0;
    for (int i = 1; params.containsKey("Permissions." + i + ".IpProtocol"); i++) {
      String p = "Permissions." + i + ".";
      if (i > 100) {
        throw new Refusal(400, "InvalidParam.Permissions", "at most 100 permissions a call");
      }
      String v4 = params.get(p + "SourceCidrIp");
      String v6 = params.get(p + "Ipv6SourceCidrIp");
      if ((v4 == null) == (v6 == null) || !params.getOrDefault(p + "PortRange", "").matches("[0-9]+/[0-9]+")) {
        throw new Refusal(400, "MissingParameter.Source", "one source and a PortRange per permission");
      }
      Rule r = new Rule("sgr-" + ids.incrementAndGet(), "ingress", params.get(p + "IpProtocol"),
          params.get(p + "PortRange"), v4, v6, params.getOrDefault(p + "Description", ""),
          params.getOrDefault(p + "Policy", "accept"), params.getOrDefault(p + "Priority", "1"));
      if (add.stream().anyMatch(r::sameAs)) {
        throw new Refusal(400, "InvalidPermission.Duplicate", "The specified rule exists.");
      }
      if (rules.stream().anyMatch(r::sameAs)) {
        // The service answers success and creates nothing, whatever the description of the one it holds.
        mutations.add("authorize (exists) " + (r.v4() != null ? r.v4() : r.v6()) + " " + r.portRange());
        sent++;
        continue;
      }
      add.add(r);
    }
    if (add.isEmpty() && sent == 0) {
      throw new Refusal(400, "MissingParameter.Permissions", "no permissions");
    }
    if (rules.size() + add.size() > quota.get(params.get("SecurityGroupId"))) {
      throw new Refusal(403, "AuthorizationLimitExceed",
          "The limit of authorization records in the security group reaches.");
    }
    rules.addAll(add);
    add.forEach(r -> mutations.add("authorize " + (r.v4() != null ? r.v4() : r.v6()) + " " + r.portRange()));
    return new LinkedHashMap<>();
  }

  private Map<String, Object> modifyRule(Map<String, String> params, List<Rule> rules) {
    String id = params.get("SecurityGroupRuleId");
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      if (r.id().equals(id)) {
        rules.set(i, new Rule(r.id(), r.direction(), r.protocol(), r.portRange(), r.v4(), r.v6(),
            params.getOrDefault("Description", r.description()), r.policy(), r.priority()));
        mutations.add("modify " + id + " description");
        return new LinkedHashMap<>();
      }
    }
    throw new Refusal(400, "InvalidSecurityGroupRule.RuleNotExist", "The security group rule " + id
        + " does not exist.");
  }

  private Map<String, Object> revoke(Map<String, String> params, List<Rule> rules) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; params.containsKey("SecurityGroupRuleId." + i); i++) {
      ids.add(params.get("SecurityGroupRuleId." + i));
    }
    if (ids.isEmpty() || ids.size() > 100) {
      throw new Refusal(400, "InvalidParam.SecurityGroupRuleId", "1..100 rule ids a call");
    }
    for (String id : ids) {
      if (rules.stream().noneMatch(r -> r.id().equals(id))) {
        // As the service answers a rule id that is gone (found by the trust review's stand-in of the API).
        throw new Refusal(400, "InvalidSecurityGroupRule.RuleNotExist", "The security group rule " + id
            + " does not exist.");
      }
    }
    for (String id : ids) {
      Rule r = rules.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
      rules.remove(r);
      mutations.add("revoke " + (r.v4() != null ? r.v4() : r.v6()) + " " + r.portRange());
    }
    return new LinkedHashMap<>();
  }

  /** A prefix list: its family ({@code IPv4} or {@code IPv6}), its room, its entries (CIDR to description). */
  record PrefixList(String family, int maxEntries, Map<String, String> entries) {}

  synchronized String addPrefixList(String id, String family, int maxEntries) {
    lists.put(id, new PrefixList(family, maxEntries, new LinkedHashMap<>()));
    return id;
  }

  synchronized Map<String, String> entries(String list) {
    return Map.copyOf(lists.get(list).entries());
  }

  /**
   * DescribePrefixListAttributes and ModifyPrefixList: a modification is applied whole or not at all, and refused
   * when it adds an entry that is there, removes one that is not, mixes families, or leaves more than MaxEntries.
   */
  private Map<String, Object> prefixList(String action, Map<String, String> params) {
    PrefixList list = lists.get(params.get("PrefixListId"));
    if (list == null) {
      throw new Refusal(404, "InvalidPrefixListId.NotFound", "The specified prefix list was not found.");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (action.equals("DescribePrefixListAttributes")) {
      List<Map<String, Object>> entries = new ArrayList<>();
      list.entries().forEach((c, d) -> entries.add(Map.of("Cidr", c, "Description", d)));
      out.put("PrefixListId", params.get("PrefixListId"));
      out.put("AddressFamily", list.family());
      out.put("MaxEntries", list.maxEntries());
      out.put("Entries", Map.of("Entry", entries));
      return out;
    }
    if (!action.equals("ModifyPrefixList")) {
      throw new Refusal(404, "InvalidAction.NotFound", "Specified api is not found.");
    }
    Map<String, String> next = new LinkedHashMap<>(list.entries());
    List<String> log = new ArrayList<>();
    for (int i = 1; params.containsKey("RemoveEntry." + i + ".Cidr"); i++) {
      String c = params.get("RemoveEntry." + i + ".Cidr");
      if (next.remove(c) == null) {
        throw new Refusal(400, "InvalidParam.RemoveEntry.NotExist", "The entry " + c + " does not exist.");
      }
      log.add("remove " + c);
    }
    for (int i = 1; params.containsKey("AddEntry." + i + ".Cidr"); i++) {
      String c = params.get("AddEntry." + i + ".Cidr");
      if (c.contains(":") != list.family().equals("IPv6")) {
        throw new Refusal(400, "InvalidParam.AddressFamily", c + " is not of the list's family.");
      }
      if (next.put(c, params.getOrDefault("AddEntry." + i + ".Description", "")) != null) {
        throw new Refusal(400, "InvalidParam.AddEntry.Duplicate", "The entry " + c + " already exists.");
      }
      log.add("add " + c);
    }
    if (next.size() > list.maxEntries()) {
      throw new Refusal(400, "QuotaExceed.PrefixListEntries", "The number of entries exceeds MaxEntries.");
    }
    list.entries().clear();
    list.entries().putAll(next);
    mutations.add(String.join(", ", log));
    return out;
  }

  private static TreeMap<String, String> decode(String raw) {
    TreeMap<String, String> out = new TreeMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      // Percent-decoding only: a '+' in a signed query is a plus sign, as the service reads it.
      out.put(URLDecoder.decode(k.replace("+", "%2B"), StandardCharsets.UTF_8),
          URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** RFC 3986 percent-encoding as the V3 signature defines it. */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
        .replace("%7E", "~");
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}

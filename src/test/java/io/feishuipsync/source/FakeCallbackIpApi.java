package io.feishuipsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stand-in for the callback IP API of WeCom or of a WeChat Official Account, from their public documentation:
 * WeCom's {@code GET /cgi-bin/gettoken?corpid&corpsecret} or WeChat's {@code POST /cgi-bin/stable_token} (the same
 * token while it lives unless {@code force_refresh}), then {@code GET /cgi-bin/getcallbackip?access_token}; every
 * answer HTTP 200 with {@code errcode}/{@code errmsg}: 40013 for a wrong id, 40001 (WeCom) or 40125 (WeChat) for a
 * wrong secret, 42001 for an expired token, 40014 (WeCom) or 40001 (WeChat) for one it never issued.
 */
public final class FakeCallbackIpApi extends StandIn {

  public static final String ID = "ww0123456789abcdef";
  public static final String SECRET = "callback-SECRET-value-7";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean wecom;
  private final List<String> valid = new ArrayList<>();
  private final List<String> expired = new ArrayList<>();
  private List<String> ips = List.of("192.0.2.20", "192.0.2.21", "198.51.100.0/25");
  private int tokensIssued;

  private FakeCallbackIpApi(boolean wecom) {
    this.wecom = wecom;
  }

  public static FakeCallbackIpApi wecom() {
    return new FakeCallbackIpApi(true);
  }

  public static FakeCallbackIpApi wechat() {
    return new FakeCallbackIpApi(false);
  }

  /** The list from now on. */
  public synchronized FakeCallbackIpApi ips(String... list) {
    ips = List.of(list);
    return this;
  }

  /** Every token issued so far expires now. */
  public synchronized FakeCallbackIpApi expireTokens() {
    expired.addAll(valid);
    valid.clear();
    return this;
  }

  public synchronized int tokensIssued() {
    return tokensIssued;
  }

  /** An answer with {@code errcode} and {@code errmsg}, as the platforms answer every refusal. */
  public static Answer error(long code, String msg) {
    return Answer.json(200, "{\"errcode\":" + code + ",\"errmsg\":\"" + msg + "\"}");
  }

  @Override
  protected synchronized Answer answer(Request r) {
    Map<String, String> q = query(r.pathAndQuery());
    String path = r.pathAndQuery().split("\\?")[0];
    if (wecom && path.equals("/cgi-bin/gettoken") && r.method().equals("GET")) {
      if (!ID.equals(q.get("corpid"))) {
        return error(40013, "invalid corpid");
      }
      return SECRET.equals(q.get("corpsecret")) ? issue(false) : error(40001, "invalid secret");
    }
    if (!wecom && path.equals("/cgi-bin/stable_token") && r.method().equals("POST")) {
      JsonNode b;
      try {
        b = JSON.readTree(r.body());
      } catch (Exception e) {
        return error(47001, "data format error");
      }
      if (!"client_credential".equals(b.path("grant_type").asText()) || !ID.equals(b.path("appid").asText())) {
        return error(40013, "invalid appid");
      }
      if (!SECRET.equals(b.path("secret").asText())) {
        return error(40125, "invalid appsecret");
      }
      return issue(b.path("force_refresh").asBoolean(false));
    }
    if (path.equals("/cgi-bin/getcallbackip") && r.method().equals("GET")) {
      String t = q.get("access_token");
      if (expired.contains(t)) {
        return error(42001, "access_token expired");
      }
      if (!valid.contains(t)) {
        return wecom ? error(40014, "invalid access_token") : error(40001, "invalid credential");
      }
      return Answer.json(200, "{\"errcode\":0,\"errmsg\":\"ok\",\"ip_list\":[\"" + String.join("\",\"", ips)
          + "\"]}");
    }
    return Answer.json(404, "{\"errcode\":404,\"errmsg\":\"no such api\"}");
  }

  private Answer issue(boolean force) {
    if (!wecom && !force && !valid.isEmpty()) {
      return Answer.json(200, "{\"access_token\":\"" + valid.get(0) + "\",\"expires_in\":7000}");
    }
    String t = "TOKEN-" + UUID.randomUUID();
    if (!wecom) {
      expired.addAll(valid);
      valid.clear();
    }
    valid.add(t);
    tokensIssued++;
    return Answer.json(200, (wecom ? "{\"errcode\":0,\"errmsg\":\"ok\"," : "{") + "\"access_token\":\"" + t
        + "\",\"expires_in\":7200}");
  }

  private static Map<String, String> query(String pathAndQuery) {
    Map<String, String> out = new HashMap<>();
    int i = pathAndQuery.indexOf('?');
    if (i < 0) {
      return out;
    }
    for (String kv : pathAndQuery.substring(i + 1).split("&")) {
      String[] p = kv.split("=", 2);
      out.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8),
          p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }
}

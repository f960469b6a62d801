package io.feishuipsync.writer.volcengine;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Volcano Engine's OpenAPI request signature ({@code HMAC-SHA256}), as its signing guide publishes it: a canonical
 * request of method, path, the sorted RFC 3986-encoded query, the signed headers ({@code host}, {@code x-date},
 * {@code x-content-sha256}, {@code content-type}) and the body's SHA-256; a string to sign of the algorithm, the
 * {@code X-Date}, the credential scope {@code date/region/service/request} and the canonical request's hash; and a
 * key derived from the secret through the date, region, service and {@code request}. Written here because the
 * official Java SDK is not served by the Maven mirror this project builds from (README).
 */
final class VolcSigner {

  static final String ALGORITHM = "HMAC-SHA256";
  private static final DateTimeFormatter X_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private VolcSigner() {}

  /**
   * The headers that sign a request: {@code Host}, {@code X-Date}, {@code X-Content-Sha256}, {@code Content-Type}
   * and {@code Authorization}.
   */
  static Map<String, String> sign(String method, String host, String path, Map<String, String> query, byte[] body,
      String contentType, String accessKeyId, String secret, String region, String service, Instant now) {
    String date = X_DATE.format(now);
    String day = date.substring(0, 8);
    String bodyHash = hex(sha256(body));
    TreeMap<String, String> signed = new TreeMap<>();
    signed.put("content-type", contentType);
    signed.put("host", host);
    signed.put("x-content-sha256", bodyHash);
    signed.put("x-date", date);
    StringBuilder canonical = new StringBuilder();
    canonical.append(method).append('\n').append(path.isEmpty() ? "/" : path).append('\n')
        .append(canonicalQuery(query)).append('\n');
    signed.forEach((k, v) -> canonical.append(k).append(':').append(v.strip()).append('\n'));
    String signedHeaders = String.join(";", signed.keySet());
    canonical.append('\n').append(signedHeaders).append('\n').append(bodyHash);
    String scope = day + "/" + region + "/" + service + "/request";
    String toSign = ALGORITHM + "\n" + date + "\n" + scope + "\n"
        + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(secret.getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "request");
    String signature = hex(hmac(key, toSign));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("Host", host);
    out.put("X-Date", date);
    out.put("X-Content-Sha256", bodyHash);
    out.put("Content-Type", contentType);
    out.put("Authorization", ALGORITHM + " Credential=" + accessKeyId + "/" + scope + ", SignedHeaders="
        + signedHeaders + ", Signature=" + signature);
    return out;
  }

  /** The query sorted by name, each name and value RFC 3986-encoded, as it is sent and as it is signed. */
  static String canonicalQuery(Map<String, String> query) {
    List<String> pairs = new ArrayList<>();
    new TreeMap<>(query).forEach((k, v) -> pairs.add(encode(k) + "=" + encode(v)));
    return String.join("&", pairs);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
        .replace("%7E", "~");
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}

package io.feishuipsync.writer;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pieces every cloud stand-in recomputes a signature from: SHA-256, HMAC-SHA256, hex, RFC 3986 encoding and
 * the decoding of a query as the clouds read it (percent-decoding only: a {@code +} is a plus sign).
 */
public final class Signing {

  private Signing() {}

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] hmac(String key, String data) {
    return hmac(key.getBytes(StandardCharsets.UTF_8), data);
  }

  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** RFC 3986 percent-encoding, as the signatures define it. */
  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
        .replace("%7E", "~");
  }

  /** A raw query's parameters, sorted by name, each with its values in the order sent. */
  public static TreeMap<String, List<String>> query(String raw) {
    TreeMap<String, List<String>> out = new TreeMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.computeIfAbsent(decode(k), x -> new ArrayList<>()).add(decode(v));
    }
    return out;
  }

  /** A raw query's parameters, the first value of each. */
  public static TreeMap<String, String> firstValues(String raw) {
    TreeMap<String, String> out = new TreeMap<>();
    query(raw).forEach((k, v) -> out.put(k, v.get(0)));
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}

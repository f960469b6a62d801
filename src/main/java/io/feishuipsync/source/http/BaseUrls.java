package io.feishuipsync.source.http;

import io.feishuipsync.core.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;

/** The base URL of a sender's API: {@code http(s)://host[:port][/path]}, no query, fragment or user info. */
public final class BaseUrls {

  private BaseUrls() {}

  /**
   * {@code text} (what {@code given} in the config stands for) as a base URL without a trailing slash; refused at
   * {@code key} with the forms {@code accepted} named.
   */
  public static URI parse(String key, String text, String given, String accepted) {
    try {
      URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
      if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new URISyntaxException(text, "expected http(s)://host[:port]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "'" + given + "' is not a base URL; use " + accepted);
    }
  }
}

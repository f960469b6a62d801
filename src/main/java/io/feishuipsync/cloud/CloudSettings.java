package io.feishuipsync.cloud;

import io.feishuipsync.core.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/** Checks of the settings the cloud writers share; each throws {@link ConfigException} naming the key. */
public final class CloudSettings {

  private CloudSettings() {}

  /**
   * The {@code group_ids} of a writer: at least one, each matching {@code pattern}, none twice; {@code example} is
   * a valid id for the message.
   */
  public static List<String> groupIds(List<String> ids, String pattern, String example) {
    if (ids == null || ids.isEmpty()) {
      throw new ConfigException("group_ids", "missing; list the security groups, e.g. [" + example + "]");
    }
    for (int i = 0; i < ids.size(); i++) {
      String g = ids.get(i);
      if (g == null || !g.matches(pattern)) {
        throw new ConfigException("group_ids[" + i + "]", "'" + String.valueOf(g).replaceAll("\\p{Cntrl}", "?")
            + "' is not a security group id");
      }
    }
    if (ids.stream().distinct().count() != ids.size()) {
      throw new ConfigException("group_ids", "lists a group twice");
    }
    return List.copyOf(ids);
  }

  /** The {@code max_rules} of a writer, {@code fallback} when unset, within 1..{@code max}. */
  public static int maxRules(Integer configured, int fallback, int max) {
    int maxRules = configured == null ? fallback : configured;
    if (maxRules < 1 || maxRules > max) {
      throw new ConfigException("max_rules", maxRules + " is outside 1.." + max);
    }
    return maxRules;
  }

  /**
   * {@code url} as an http(s) URL with a host, or null when it is not one; {@code hostOnly} also refuses a path, a
   * query and user info, for an endpoint that is a host and port only.
   */
  public static URI httpUrl(String url, boolean hostOnly) {
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null || uri.getScheme() == null
          || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
        return null;
      }
      if (hostOnly && (!(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
          || uri.getRawQuery() != null || uri.getRawUserInfo() != null)) {
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}

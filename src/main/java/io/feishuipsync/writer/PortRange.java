package io.feishuipsync.writer;

import io.feishuipsync.core.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A protected port or port range, validated from config ({@code 443}, {@code "8000-8100"}).
 *
 * @param from first port
 * @param to last port (equal to {@code from} for a single port)
 */
public record PortRange(int from, int to) {

  /** Parses the {@code ports} list of a writer; throws {@link ConfigException} naming {@code key}. */
  public static List<PortRange> parseAll(String key, List<String> ports) {
    if (ports == null || ports.isEmpty()) {
      throw new ConfigException(key, "missing; list the protected ports, e.g. [443]");
    }
    List<PortRange> out = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      out.add(parse(key + "[" + i + "]", ports.get(i)));
    }
    return List.copyOf(out);
  }

  /** The {@code protocol} of a writer's ports: {@code tcp} (the default) or {@code udp}, in lower case. */
  public static String protocol(String configured) {
    String protocol = (configured == null ? "tcp" : configured).toLowerCase(Locale.ROOT);
    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
      throw new ConfigException("protocol", "'" + configured + "' is not one of: tcp, udp");
    }
    return protocol;
  }

  static PortRange parse(String key, String text) {
    String t = text == null ? "" : text.strip();
    if (!t.matches("[0-9]{1,5}(-[0-9]{1,5})?")) {
      throw new ConfigException(key, "'" + text + "' is not a port or range like 443 or 8000-8100");
    }
    String[] parts = t.split("-");
    int from = Integer.parseInt(parts[0]);
    int to = parts.length == 2 ? Integer.parseInt(parts[1]) : from;
    if (from < 1 || to > 65535 || from > to) {
      throw new ConfigException(key, "'" + text + "' is outside 1..65535 or runs backwards");
    }
    return new PortRange(from, to);
  }

  public boolean single() {
    return from == to;
  }

  /** {@code 443} or {@code 8000-8100}. */
  @Override
  public String toString() {
    return single() ? Integer.toString(from) : from + "-" + to;
  }
}

package io.feishuipsync.writer.feed;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code type: feed}: the applied list served over HTTP for network firewalls (Palo Alto EDL, FortiGate feeds). */
public final class FeedWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE = WriterType.of("feed", Settings.class, FeedWriterType::create);

  /**
   * Settings of a feed writer.
   *
   * @param listen {@code host:port} to serve on (default {@code 127.0.0.1:9465})
   * @param path the one URL path that serves the list (default {@code /feishu-ipsync.txt})
   * @param family {@code ipv4}, {@code ipv6} or {@code both} (default)
   */
  public record Settings(String listen, String path, String family) {}

  private static final Pattern HOST_PORT =
      Pattern.compile("(?:\\[([0-9a-fA-F:]+)]|([0-9.]+|localhost)):([0-9]{1,5})");
  // Plain URL path characters only: the path is compared byte for byte and appears in logs and firewall configs.
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,200}");

  private FeedWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    InetSocketAddress listen = listen(s.listen() == null ? "127.0.0.1:9465" : s.listen());
    String path = s.path() == null ? "/feishu-ipsync.txt" : s.path();
    if (!PATH.matcher(path).matches() || path.contains("//") || path.contains("/../") || path.endsWith("/..")) {
      throw new ConfigException("path", "'" + path + "' is not a plain URL path like /feishu-ipsync.txt");
    }
    FeedFamily family;
    try {
      family = FeedFamily.valueOf((s.family() == null ? "both" : s.family()).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("family", "'" + s.family() + "' is not one of: ipv4, ipv6, both");
    }
    return new FeedWriter(listen, path, family, context.lastApplied(), Clock.systemUTC());
  }

  private static InetSocketAddress listen(String text) {
    Matcher hp = HOST_PORT.matcher(text);
    int port = hp.matches() ? Integer.parseInt(hp.group(3)) : -1;
    if (port < 0 || port > 65535) {
      throw new ConfigException("listen", "'" + text + "' is not host:port, e.g. 127.0.0.1:9465");
    }
    String host = hp.group(1) != null ? hp.group(1) : hp.group(2);
    // A literal address only (never resolved), so the config says exactly where the list is exposed.
    InetSocketAddress address = new InetSocketAddress(host.equals("localhost") ? "127.0.0.1" : host, port);
    if (address.isUnresolved()) {
      throw new ConfigException("listen", "'" + text + "' is not an IP address and port, e.g. 127.0.0.1:9465");
    }
    return address;
  }
}

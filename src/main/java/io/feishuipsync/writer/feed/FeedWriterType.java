package io.feishuipsync.writer.feed;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterSecrets;
import io.feishuipsync.writer.WriterType;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
   * @param username with a password: the one user HTTP basic authentication admits
   * @param password its password, best as {@code ${ENV}}
   * @param passwordFile a file holding it instead (or the systemd credential {@code feed_password})
   * @param tlsCert PEM certificate chain to serve HTTPS with (with {@code tls_key})
   * @param tlsKey its PEM (PKCS#8, unencrypted) private key
   */
  public record Settings(String listen, String path, String family, String username, String password,
      String passwordFile, String tlsCert, String tlsKey) {}

  private static final String CREDENTIAL = "feed_password";

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
    FeedTls.Identity tls = tls(s);
    FeedServer.Credentials credentials = credentials(s, context, listen, tls != null);
    return new FeedWriter(new FeedWriter.Serving(listen, path, tls, credentials, context.serving()), family,
        context.lastApplied(), Clock.systemUTC());
  }

  private static FeedTls.Identity tls(Settings s) {
    if ((s.tlsCert() == null) != (s.tlsKey() == null)) {
      throw new ConfigException("tls_cert", "set both tls_cert and tls_key, or neither");
    }
    return s.tlsCert() == null ? null : new FeedTls.Identity(Path.of(s.tlsCert()), Path.of(s.tlsKey()));
  }

  private static FeedServer.Credentials credentials(Settings s, WriterContext context, InetSocketAddress listen,
      boolean tls) {
    Secret password = WriterSecrets.find(context, "password", s.password(), s.passwordFile(), CREDENTIAL);
    if (s.username() == null) {
      if (s.password() != null || s.passwordFile() != null) {
        throw new ConfigException("username", "missing; a password needs the username it belongs to");
      }
      return null;
    }
    if (s.username().isEmpty() || s.username().contains(":")
        || !s.username().chars().allMatch(c -> c > 32 && c < 127)) {
      throw new ConfigException("username", "must be printable ASCII without spaces or ':'");
    }
    if (password == null) {
      throw new ConfigException("password", "missing; set password (e.g. ${FEED_PASSWORD}), password_file, or a"
          + " systemd credential named " + CREDENTIAL);
    }
    // Basic authentication sends the password readable by anyone on the path: only over TLS or on loopback.
    if (!tls && !listen.getAddress().isLoopbackAddress()) {
      throw new ConfigException("username", "a password over plain HTTP on " + listen.getAddress().getHostAddress()
          + " would cross the network readable; set tls_cert and tls_key, or listen on 127.0.0.1");
    }
    return new FeedServer.Credentials(s.username(), password);
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

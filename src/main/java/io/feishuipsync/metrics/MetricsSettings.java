package io.feishuipsync.metrics;

import io.feishuipsync.core.ConfigException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where metrics go: an HTTP listener and/or a node_exporter textfile; both null means off.
 *
 * @param listen address of the {@code /metrics} endpoint, or null
 * @param textfile path of the {@code .prom} file, or null
 * @param allowSharedDirectory write the textfile even where another account may write its directory
 */
public record MetricsSettings(InetSocketAddress listen, Path textfile, boolean allowSharedDirectory) {

  /** No {@code metrics} section: no listener, no textfile. */
  public static final MetricsSettings OFF = new MetricsSettings(null, null, false);

  private static final Pattern HOST_PORT =
      Pattern.compile("(?:\\[([0-9a-fA-F:]+)]|([0-9.]+|localhost)):([0-9]{1,5})");

  /**
   * Validates the {@code metrics} section's values, each null when absent, or throws {@link ConfigException} naming
   * the key.
   */
  public static MetricsSettings from(String listen, String textfile, Boolean allowSharedDirectory) {
    InetSocketAddress address = null;
    if (listen != null) {
      Matcher hp = HOST_PORT.matcher(listen);
      int port = hp.matches() ? Integer.parseInt(hp.group(3)) : -1;
      if (port < 0 || port > 65535) {
        throw new ConfigException("metrics.listen", "'" + listen + "' is not host:port, e.g. 127.0.0.1:9464");
      }
      String host = hp.group(1) != null ? hp.group(1) : hp.group(2);
      address = new InetSocketAddress(host.equals("localhost") ? "127.0.0.1" : host, port);
    }
    Path file = null;
    if (textfile != null) {
      file = Path.of(textfile);
      if (!file.isAbsolute() || !textfile.endsWith(".prom")) {
        throw new ConfigException("metrics.textfile", "must be an absolute path ending in .prom");
      }
    }
    return new MetricsSettings(address, file, Boolean.TRUE.equals(allowSharedDirectory));
  }
}

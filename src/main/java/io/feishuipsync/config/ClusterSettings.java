package io.feishuipsync.config;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cluster mode: the nodes share Quartz's clustered job store and the cloud writers' state in one PostgreSQL
 * database. Absent (null in {@link Config}) means a single node with everything in memory and on local disk.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/db}, without a password in it
 * @param username the database role
 * @param password the role's password, from {@code password}, {@code password_file} or the credential
 *     {@code cluster_password}
 * @param nodeId this node's name in the cluster (Quartz's instance id); default the host name
 * @param checkinInterval how often a node tells the others it is alive; a silent node's job is recovered after it
 */
public record ClusterSettings(String jdbcUrl, String username, Secret password, String nodeId,
    Duration checkinInterval) {

  private static final String URL_PREFIX = "jdbc:postgresql://";
  private static final Pattern URL = Pattern.compile("jdbc:postgresql://[A-Za-z0-9.:\\[\\]_-]+(/[A-Za-z0-9_.-]*)?"
      + "(\\?[A-Za-z0-9_.=&%-]*)?");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.@-]{1,63}");
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_.:-]{1,80}");

  /** Validates the {@code cluster} section, its password resolved by {@code secrets}; absent means null. */
  static ClusterSettings from(RawConfig.Cluster c, Secrets secrets) {
    if (c == null) {
      return null;
    }
    if (c.jdbcUrl() == null || c.jdbcUrl().isBlank()) {
      throw new ConfigException("cluster.jdbc_url", "missing; e.g. jdbc:postgresql://10.0.0.5:5432/feishu_ipsync");
    }
    String url = c.jdbcUrl().strip();
    if (!url.startsWith(URL_PREFIX)) {
      throw new ConfigException("cluster.jdbc_url", "must start with " + URL_PREFIX);
    }
    if (url.toLowerCase(Locale.ROOT).contains("password")) {
      // A password in the URL would reach logs and the process list: it has keys of its own.
      throw new ConfigException("cluster.jdbc_url", "must not hold the password; use cluster.password,"
          + " cluster.password_file or the credential cluster_password");
    }
    if (url.length() > 1000 || !URL.matcher(url).matches()) {
      throw new ConfigException("cluster.jdbc_url", "is not jdbc:postgresql://host[:port]/database[?parameters]");
    }
    if (c.username() == null || !USER.matcher(c.username()).matches()) {
      throw new ConfigException("cluster.username", c.username() == null ? "missing"
          : "is not a role name (letters, digits, _ . @ -, at most 63)");
    }
    String node = c.nodeId() != null ? c.nodeId() : hostName();
    if (!NODE.matcher(node).matches()) {
      throw new ConfigException("cluster.node_id", (c.nodeId() == null ? "the host name " : "") + "is not a node id"
          + " (letters, digits, _ . : -, at most 80); set cluster.node_id");
    }
    Duration checkin = Durations.positive("cluster.checkin_interval", c.checkinInterval(), Duration.ofSeconds(15));
    if (checkin.compareTo(Duration.ofSeconds(1)) < 0 || checkin.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new ConfigException("cluster.checkin_interval", "must be between 1s and 10m");
    }
    return new ClusterSettings(url, c.username(), secrets.clusterPassword(c), node, checkin);
  }

  /** The kernel's host name, which needs no name lookup; Java's when that cannot be read. */
  private static String hostName() {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/sys/kernel/hostname")), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e2) {
        return "";
      }
    }
  }

  /**
   * Why the connection to the database is open to a network attacker, for a warning at start: a host other than
   * loopback without {@code sslmode=verify-full} (or {@code verify-ca}), so the server is not authenticated and
   * anyone on the path could answer in its place. Empty when it is verified or local.
   */
  public Optional<String> tlsWarning() {
    String rest = jdbcUrl.substring(URL_PREFIX.length());
    String hosts = rest.split("[/?]", 2)[0];
    boolean local = Arrays.stream(hosts.split(",")).map(h -> h.replaceAll(":[0-9]+$", ""))
        .allMatch(h -> h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]"));
    Matcher m = Pattern.compile("[?&]sslmode=([a-z-]+)").matcher(jdbcUrl);
    String mode = m.find() ? m.group(1) : "prefer";
    if (local || mode.equals("verify-full") || mode.equals("verify-ca")) {
      return Optional.empty();
    }
    return Optional.of("cluster.jdbc_url: " + hosts + " is reached with sslmode=" + mode + ", which does"
        + " not verify the server; anyone on the path could play the cluster database and its rows reach the cloud"
        + " writers; add ?sslmode=verify-full (the server's CA in ~/.postgresql/root.crt or sslrootcert=)");
  }

  @Override
  public String toString() {
    return "ClusterSettings[" + jdbcUrl + ", user " + username + ", node " + nodeId + "]";
  }
}

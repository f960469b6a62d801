package io.feishuipsync.testbed;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL server owned by the test: Debian's binaries ({@code /usr/lib/postgresql/N/bin}), a data
 * directory in a fresh temporary directory, a free port on 127.0.0.1, password (SCRAM) authentication over TCP,
 * and a role {@link #USER}. It can be stopped and started again (for outage tests) and is stopped and deleted after
 * the test class. Register it with {@code @RegisterExtension static final PostgresServer db = new PostgresServer();}.
 * Missing binaries fail the test: cluster mode is never left untested silently.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  /** The role the product connects as. */
  public static final String USER = "ipsync";
  /** Its password: a test value, also looked for in logs and outputs that must not show it. */
  public static final String PASSWORD = "pg-Test-Pass-7c1e";
  private static final String SUPERUSER_PASSWORD = "pg-Super-Pass-93ab";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private Path dir;
  private Path bin;
  private int port;
  private boolean running;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  /** Creates the server on first call, starts it on every call; returns when it accepts connections. */
  public synchronized void start() throws IOException, InterruptedException {
    if (running) {
      return;
    }
    if (dir == null) {
      bin = binaries();
      dir = Files.createTempDirectory("feishu-ipsync-pg");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      chownToPostgres(dir);
      Path pwfile = dir.resolve("pw");
      Files.writeString(pwfile, SUPERUSER_PASSWORD + "\n");
      chownToPostgres(pwfile);
      run(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
          "--pwfile=" + pwfile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8",
          "--no-instructions");
      port = freePort();
    }
    run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    running = true;
    if (!Files.exists(dir.resolve("role-created"))) {
      try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
        st.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
      } catch (SQLException e) {
        throw new IOException("cannot create the test role: " + e.getMessage(), e);
      }
      Files.createFile(dir.resolve("role-created"));
    }
  }

  /** Stops the server (fast shutdown: sessions are cut, as in an outage); {@link #start()} brings it back. */
  public synchronized void stop() throws IOException, InterruptedException {
    if (running) {
      run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
      running = false;
    }
  }

  /** A new, empty database owned by {@link #USER}; returns its JDBC URL. */
  public String newDatabase() throws SQLException {
    String name = "ipsync_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name + " OWNER " + USER);
    }
    return url(name);
  }

  /** The JDBC URL of database {@code name} on this server. */
  public String url(String name) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  /** A connection as {@link #USER} to the database at {@code url}. */
  public static Connection connect(String url) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("password", PASSWORD);
    return DriverManager.getConnection(url, p);
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  private Connection superuser(String db) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", SUPERUSER_PASSWORD);
    return DriverManager.getConnection(url(db), p);
  }

  @Override
  public synchronized void close() throws IOException, InterruptedException {
    try {
      stop();
    } finally {
      if (dir != null) {
        try (Stream<Path> all = Files.walk(dir)) {
          all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        dir = null;
      }
    }
  }

  /** The newest Debian PostgreSQL's bin directory; fails, never skips, when there is none. */
  private static Path binaries() throws IOException {
    List<Path> found = new ArrayList<>();
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
        versions.forEach(v -> {
          if (Files.isExecutable(v.resolve("bin/initdb")) && Files.isExecutable(v.resolve("bin/pg_ctl"))) {
            found.add(v.resolve("bin"));
          }
        });
      }
    }
    return found.stream().max(Comparator.comparingInt(p -> Integer.parseInt(p.getParent().getFileName().toString()
        .replaceAll("\\D", "0")))).orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed"
        + " (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql, as .ci/setup.sh does"));
  }

  /** As root, PostgreSQL refuses to run: its files and processes belong to the postgres account. */
  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void chownToPostgres(Path p) throws IOException {
    if (asRoot()) {
      UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(p, users.lookupPrincipalByName("postgres"));
    }
  }

  private void run(String... argv) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (asRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(argv));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
      throw new IOException(String.join(" ", argv) + " failed: " + out + log);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

package io.feishuipsync.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A network namespace of the test's own on this host, joined to the host by one veth pair: the near end in the
 * namespace ({@link #NEAR}), the far end on the host ({@link #FAR}), a /30 of the documentation range that nothing
 * else routes. A program started with {@link #command} lives in the namespace, with its own loopback and its own
 * kernel firewall, and reaches the host's servers only over the link, where the test puts real faults: loss and
 * resets by nftables rules in the namespace, a cut by taking the near end down, a slow link by a token bucket on
 * both ends. Needs root ({@code ip netns}); CI runs as root, and without it the test fails when
 * {@code FEISHU_IPSYNC_REQUIRE_DOCKER=1} and is skipped otherwise. Register it with {@code @RegisterExtension}.
 */
public final class LinkedNamespace implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  /** The host's end of the link: the test's servers are reached here. */
  public static final String FAR = "192.0.2.253";
  /** The namespace's end of the link. */
  public static final String NEAR = "192.0.2.254";
  private static final String FAULTS = "ipsync_test_faults";

  private final String prefix;
  private final String farPrefix;
  private final String name;
  private final String farDev;
  private final String nearDev;
  private final String far;
  private final String near;
  private boolean up;

  /** The tests' link: {@link #FAR} and {@link #NEAR}. */
  public LinkedNamespace() {
    this("fipsync", "fipf", "fipn", FAR, NEAR);
  }

  private LinkedNamespace(String prefix, String farPrefix, String nearPrefix, String far, String near) {
    String id = Long.toString(ProcessHandle.current().pid() % 100_000);
    this.prefix = prefix + "-";
    this.farPrefix = farPrefix;
    name = this.prefix + id;
    farDev = farPrefix + id;
    nearDev = nearPrefix + id;
    this.far = far;
    this.near = near;
  }

  /** The soak's link (192.0.2.249 and .250), apart from the tests' so that both can run at once. */
  public static LinkedNamespace forSoak() {
    return new LinkedNamespace("fipsoak", "fisf", "fisn", "192.0.2.249", "192.0.2.250");
  }

  /** The host's end of this link. */
  public String far() {
    return far;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Creates the namespace and the link (a leftover of a killed run of this pid is removed first). */
  public synchronized void start() throws IOException, InterruptedException {
    if (up) {
      return;
    }
    requireRoot();
    // What a killed run of the tests left (any pid): its namespace and its far end, which holds the same address.
    for (String ns : run(true, "ip", "netns", "list").lines().map(l -> l.split(" ")[0]).toList()) {
      if (ns.startsWith(prefix)) {
        run(false, "ip", "netns", "del", ns);
      }
    }
    for (String link : run(true, "ip", "-o", "link", "show").lines().map(l -> l.split(": ")[1].split("@")[0])
        .toList()) {
      if (link.startsWith(farPrefix)) {
        run(false, "ip", "link", "del", link);
      }
    }
    run(true, "ip", "netns", "add", name);
    up = true;
    run(true, "ip", "link", "add", farDev, "type", "veth", "peer", "name", nearDev);
    run(true, "ip", "link", "set", nearDev, "netns", name);
    run(true, "ip", "addr", "add", far + "/30", "dev", farDev);
    run(true, "ip", "link", "set", farDev, "up");
    in(true, "ip", "addr", "add", near + "/30", "dev", nearDev);
    in(true, "ip", "link", "set", nearDev, "up");
    in(true, "ip", "link", "set", "lo", "up");
  }

  private static void requireRoot() throws IOException, InterruptedException {
    String why = null;
    if (!"root".equals(System.getProperty("user.name"))) {
      why = "network namespaces need root";
    } else if (run(false, "ip", "netns", "list") == null) {
      why = "`ip netns` does not work here";
    }
    if (why == null) {
      return;
    }
    if ("1".equals(System.getenv("FEISHU_IPSYNC_REQUIRE_DOCKER"))) {
      fail(why + " (FEISHU_IPSYNC_REQUIRE_DOCKER=1: integration tests may not be skipped)");
    }
    Assumptions.abort(why + "; network fault test skipped");
  }

  /** The namespace's name, for {@code ip netns exec}. */
  public String name() {
    return name;
  }

  /** The near end's interface name, inside the namespace. */
  public String nearDevice() {
    return nearDev;
  }

  /** {@code argv} prefixed to run inside the namespace. */
  public List<String> command(String... argv) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(List.of(argv));
    return full;
  }

  /** Runs {@code argv} in the namespace; its output, and a failure of the test when it exits non-zero. */
  public String exec(String... argv) throws IOException, InterruptedException {
    return in(true, argv);
  }

  /** Drops {@code percent} % of the packets crossing the link, each way, at random. */
  public void loss(int percent) throws IOException, InterruptedException {
    faultRules("iifname \"" + nearDev + "\" numgen random mod 100 < " + percent + " drop",
        "oifname \"" + nearDev + "\" numgen random mod 100 < " + percent + " drop");
  }

  /** Resets {@code percent} % of the namespace's TCP segments to the far end (SYNs and segments mid-stream). */
  public void resets(int percent) throws IOException, InterruptedException {
    faultRules(null, "oifname \"" + nearDev + "\" meta l4proto tcp numgen random mod 100 < " + percent
        + " reject with tcp reset");
  }

  /** Silently drops everything to and from {@code port} on the far end (a firewall that cut one service). */
  public void blackhole(int port) throws IOException, InterruptedException {
    faultRules("iifname \"" + nearDev + "\" tcp sport " + port + " drop",
        "oifname \"" + nearDev + "\" tcp dport " + port + " drop");
  }

  /** Takes the near end down: the link is cut, connections on it stall, new ones fail at once. */
  public void cut() throws IOException, InterruptedException {
    in(true, "ip", "link", "set", nearDev, "down");
  }

  /** A slow link: both ends sent through a token bucket of {@code rate} (tc's syntax, e.g. {@code 256kbit}). */
  public void slow(String rate) throws IOException, InterruptedException {
    String[] tbf = {"root", "tbf", "rate", rate, "burst", "32kbit", "latency", "400ms"};
    run(true, concat(new String[] {"tc", "qdisc", "replace", "dev", farDev}, tbf));
    in(true, concat(new String[] {"tc", "qdisc", "replace", "dev", nearDev}, tbf));
  }

  /** Takes every fault away: the link up, no fault rules, no token bucket. */
  public void heal() throws IOException, InterruptedException {
    in(true, "ip", "link", "set", nearDev, "up");
    in(false, "nft", "delete", "table", "inet", FAULTS);
    in(false, "tc", "qdisc", "del", "dev", nearDev, "root");
    run(false, "tc", "qdisc", "del", "dev", farDev, "root");
  }

  private void faultRules(String input, String output) throws IOException, InterruptedException {
    in(false, "nft", "delete", "table", "inet", FAULTS);
    String script = "table inet " + FAULTS + " {\n"
        + "  chain in {\n    type filter hook input priority -400\n    " + (input == null ? "" : input) + "\n  }\n"
        + "  chain out {\n    type filter hook output priority -400\n    " + (output == null ? "" : output) + "\n  }\n"
        + "}\n";
    Process p = new ProcessBuilder(command("nft", "-f", "-")).redirectErrorStream(true).start();
    p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      fail("fault rules refused: " + out + "\n" + script);
    }
  }

  /** Deletes the namespace (the veth pair goes with it). */
  @Override
  public synchronized void close() {
    if (!up) {
      return;
    }
    try {
      run(false, "ip", "netns", "del", name);
      run(false, "ip", "link", "del", farDev);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    up = false;
  }

  private String in(boolean must, String... argv) throws IOException, InterruptedException {
    return run(must, command(argv).toArray(String[]::new));
  }

  /** Runs a host command: its output, or null when it failed and need not succeed. */
  private static String run(boolean must, String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", argv) + " did not finish in 60 s");
    }
    if (p.exitValue() != 0) {
      if (must) {
        fail(String.join(" ", argv) + " exited " + p.exitValue() + ": " + out);
      }
      return null;
    }
    return out;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

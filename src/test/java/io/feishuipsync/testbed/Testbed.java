package io.feishuipsync.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.model.Capability;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.exec.ProcessCommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A container of the testbed image ({@code deploy/testbed/build-image.sh}) with its own network stack and
 * NET_ADMIN, where the real nft, iptables, ipset and moto run. Tests must close it (Ryuk is off).
 */
public final class Testbed implements AutoCloseable {

  public static final String IMAGE = "feishu-ipsync-testbed:1";

  private final GenericContainer<?> container;

  private Testbed(GenericContainer<?> container) {
    this.container = container;
  }

  /**
   * Starts a testbed container. Without Docker the test is skipped with the reason, unless
   * {@code FEISHU_IPSYNC_REQUIRE_DOCKER=1} (as in CI), where it fails.
   */
  public static Testbed start() {
    return start(new GenericContainer<>(DockerImageName.parse(IMAGE)).withCommand("sleep", "infinity"));
  }

  /** A testbed serving moto's EC2 emulator on port 5000, reachable from this process at {@link #motoEndpoint()}. */
  public static Testbed startMoto() {
    return start(new GenericContainer<>(DockerImageName.parse(IMAGE))
        .withCommand("python3", "-m", "moto.server", "-H", "0.0.0.0", "-p", "5000")
        .withExposedPorts(5000)
        .waitingFor(Wait.forHttp("/moto-api/").forPort(5000).forStatusCode(200)));
  }

  /** moto's endpoint as seen from the test JVM (a port on localhost mapped into the container). */
  public String motoEndpoint() {
    return "http://" + container.getHost() + ":" + container.getMappedPort(5000);
  }

  @SuppressWarnings("resource")
  private static Testbed start(GenericContainer<?> base) {
    requireDocker();
    GenericContainer<?> c = base
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withCapAdd(Capability.NET_ADMIN, Capability.SYS_ADMIN)
            .withSecurityOpts(List.of("apparmor=unconfined"))
            // Docker disables IPv6 in containers by default; the packet tests need it.
            .withSysctls(Map.of("net.ipv6.conf.all.disable_ipv6", "0", "net.ipv6.conf.default.disable_ipv6", "0")))
        .withStartupTimeout(Duration.ofSeconds(60));
    c.start();
    return new Testbed(c);
  }

  private static void requireDocker() {
    String why = null;
    try {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        why = "Docker is not available";
      } else if (!imagePresent()) {
        why = "image " + IMAGE + " is missing; build it with deploy/testbed/build-image.sh";
      }
    } catch (RuntimeException e) {
      why = "Docker is not available: " + e.getMessage();
    }
    if (why == null) {
      return;
    }
    if ("1".equals(System.getenv("FEISHU_IPSYNC_REQUIRE_DOCKER"))) {
      fail(why + " (FEISHU_IPSYNC_REQUIRE_DOCKER=1: integration tests may not be skipped)");
    }
    Assumptions.abort(why + "; integration test skipped (.ci/setup.sh prepares this machine)");
  }

  private static boolean imagePresent() {
    try {
      DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Runs commands inside the container through {@code docker exec -i}, with stdin. */
  public CommandRunner runner() {
    ProcessCommandRunner host = new ProcessCommandRunner();
    return (argv, stdin, timeout) -> {
      List<String> full = new ArrayList<>(List.of("docker", "exec", "-i", container.getContainerId()));
      full.addAll(argv);
      CommandResult r = host.run(full, stdin, timeout);
      // docker exec reports a missing program itself (126/127); make it look like a local start failure.
      String said = r.stderr() + r.stdout();
      if ((r.exitCode() == 126 || r.exitCode() == 127) && said.contains("OCI runtime exec failed")
          && (said.contains("executable file not found") || said.contains("no such file or directory"))) {
        throw new IOException("cannot run " + argv.get(0) + ": No such file or directory");
      }
      return new CommandResult(argv, r.exitCode(), r.stdout(), r.stderr());
    };
  }

  /** Runs {@code argv} in the container and returns its result. */
  public CommandResult exec(String... argv) {
    try {
      return runner().run(List.of(argv), new byte[0], Duration.ofMinutes(2));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a shell script in the container and fails the test when it exits non-zero. */
  public String sh(String script) {
    CommandResult r = exec("sh", "-c", script);
    if (!r.ok()) {
      fail("in testbed: `" + script + "` exited " + r.exitCode() + ": " + r.stderr() + r.stdout());
    }
    return r.stdout();
  }

  public String containerId() {
    return container.getContainerId();
  }

  public GenericContainer<?> container() {
    return container;
  }

  @Override
  public void close() {
    container.stop();
  }
}

package io.feishuipsync.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.model.Capability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A container of the testbed image ({@code deploy/testbed/build-image.sh}) with its own network stack and
 * NET_ADMIN, where the real nft, iptables, ipset and moto run. Tests must close it (Ryuk is off): either by
 * try-with-resources around {@link #start()}, or by {@code @RegisterExtension static final Testbed bed =
 * Testbed.perClass();}, which starts it before the class's {@code @BeforeAll} methods and stops it after the class.
 */
public final class Testbed implements Shell, AutoCloseable, BeforeAllCallback, AfterAllCallback {

  public static final String IMAGE = "feishu-ipsync-testbed:1";

  private final Supplier<GenericContainer<?>> definition;
  private GenericContainer<?> container;

  private Testbed(Supplier<GenericContainer<?>> definition) {
    this.definition = definition;
  }

  /**
   * Starts a testbed container. Without Docker the test is skipped with the reason, unless
   * {@code FEISHU_IPSYNC_REQUIRE_DOCKER=1} (as in CI), where it fails.
   */
  public static Testbed start() {
    return perClass().started();
  }

  /** A testbed serving moto's EC2 emulator on port 5000, reachable from this process at {@link #motoEndpoint()}. */
  public static Testbed startMoto() {
    return motoPerClass().started();
  }

  /** A testbed that a test class registers as an extension: one container for all its tests. */
  public static Testbed perClass() {
    return new Testbed(() -> new GenericContainer<>(DockerImageName.parse(IMAGE)).withCommand("sleep", "infinity"));
  }

  /** {@link #perClass()} serving moto, as {@link #startMoto()}. */
  public static Testbed motoPerClass() {
    return new Testbed(() -> new GenericContainer<>(DockerImageName.parse(IMAGE))
        .withCommand("python3", "-m", "moto.server", "-H", "0.0.0.0", "-p", "5000")
        .withExposedPorts(5000)
        .waitingFor(Wait.forHttp("/moto-api/").forPort(5000).forStatusCode(200)));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    started();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** moto's endpoint as seen from the test JVM (a port on localhost mapped into the container). */
  public String motoEndpoint() {
    return "http://" + container.getHost() + ":" + container.getMappedPort(5000);
  }

  @SuppressWarnings("resource")
  private Testbed started() {
    requireDocker();
    GenericContainer<?> c = definition.get()
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withCapAdd(Capability.NET_ADMIN, Capability.SYS_ADMIN)
            .withSecurityOpts(List.of("apparmor=unconfined"))
            // Docker disables IPv6 in containers by default; the packet tests need it.
            .withSysctls(Map.of("net.ipv6.conf.all.disable_ipv6", "0", "net.ipv6.conf.default.disable_ipv6", "0")))
        .withStartupTimeout(Duration.ofSeconds(60));
    container = c;
    c.start();
    return this;
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

  @Override
  public String where() {
    return "in testbed";
  }

  @Override
  public String containerId() {
    return container.getContainerId();
  }

  public GenericContainer<?> container() {
    return container;
  }

  /** Copies the built .deb into the container and installs it with dpkg. */
  public void installPackage() {
    Path deb = Path.of(System.getProperty("feishuipsync.deb", "target/feishu-ipsync.deb"));
    container.copyFileToContainer(MountableFile.forHostPath(deb), "/tmp/feishu-ipsync.deb");
    sh("dpkg -i /tmp/feishu-ipsync.deb >/dev/null");
  }

  /**
   * Starts the scripted Feishu ({@code testbed/fake_feishu.py}) on 127.0.0.1:18080 in the container, serving the
   * JSON address list in {@code /opt/ips.json} (written from {@code ipsJson}) to an app with {@code secret}.
   */
  public void startFakeFeishu(String ipsJson, String secret) {
    copyResource("testbed/fake_feishu.py", "/opt/fake_feishu.py");
    sh("echo '" + ipsJson + "' > /opt/ips.json; nohup python3 /opt/fake_feishu.py 18080 /opt/ips.json " + secret
        + " >/dev/null 2>&1 &");
  }

  /** Copies a test resource into the container. */
  public void copyResource(String resource, String to) {
    container.copyFileToContainer(MountableFile.forClasspathResource(resource), to);
  }

  /** Stops the container; nothing to do when it never started (Docker missing, or the start failed). */
  @Override
  public void close() {
    if (container != null) {
      container.stop();
      container = null;
    }
  }
}

package io.feishuipsync.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.ProcessCommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * The systemd container (feishu-ipsync-systemd:2, Debian 12 with systemd as PID 1, its D-Bus, and firewalld
 * masked): booted, commands run in it through {@code docker exec}, removed on close. No network but its own.
 */
public final class SystemdBox implements Shell, AutoCloseable {

  public static final String IMAGE = "feishu-ipsync-systemd:2";

  private final String id;

  private SystemdBox(String id) {
    this.id = id;
  }

  /** Boots a container and waits for systemd; skipped without Docker or the image unless CI requires them. */
  public static SystemdBox boot() {
    requireDockerAndImage();
    CommandResult run = host("docker", "run", "-d", "--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE",
        "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined", "--cgroupns=host",
        "--network", "none", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "--tmpfs", "/run/lock",
        "--tmpfs", "/tmp",
        // Docker disables IPv6 in containers by default; the packet tests need it.
        "--sysctl", "net.ipv6.conf.all.disable_ipv6=0", "--sysctl", "net.ipv6.conf.default.disable_ipv6=0", IMAGE);
    assertEquals(0, run.exitCode(), run.stderr());
    SystemdBox box = new SystemdBox(run.stdout().strip());
    box.waitFor("systemd to finish booting", Duration.ofSeconds(90), () -> {
      String state = box.exec("systemctl", "is-system-running").stdout().strip();
      return state.equals("running") || state.equals("degraded");
    });
    return box;
  }

  @Override
  public String containerId() {
    return id;
  }

  @Override
  public String where() {
    return "in the systemd container";
  }

  /** Waits up to {@code limit} for {@code done}, failing the test with {@code what}. */
  public void waitFor(String what, Duration limit, Supplier<Boolean> done) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.get()) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    fail("timed out waiting for " + what);
  }

  @Override
  public void close() {
    host("docker", "rm", "-f", "-v", id);
  }

  /** Runs {@code argv} on this host (docker itself). */
  public static CommandResult host(String... argv) {
    try {
      return new ProcessCommandRunner().run(List.of(argv), new byte[0], Duration.ofMinutes(3));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + argv[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void requireDockerAndImage() {
    String why;
    try {
      if (!host("docker", "info").ok()) {
        why = "Docker is not available";
      } else if (!host("docker", "image", "inspect", IMAGE).ok()) {
        why = "image " + IMAGE + " is missing; build it with deploy/testbed/build-systemd-image.sh";
      } else {
        return;
      }
    } catch (IllegalStateException e) {
      why = "Docker is not available: " + e.getMessage();
    }
    if ("1".equals(System.getenv("FEISHU_IPSYNC_REQUIRE_DOCKER"))) {
      fail(why + " (FEISHU_IPSYNC_REQUIRE_DOCKER=1: integration tests may not be skipped)");
    }
    Assumptions.abort(why + "; integration test skipped (.ci/setup.sh prepares this machine)");
  }
}

package io.feishuipsync.config;

import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A config file pointed at a {@link FakeFeishu}: its app, the secret from {@code ${FEISHU_APP_SECRET}}, the
 * documentation ranges let through validation, a state directory, and the writers and sections a test adds.
 */
public final class TestConfig {

  private final String baseUrl;
  private final Path stateDir;
  private Path dir;
  private final List<String> feishuLines = new ArrayList<>();
  private final List<String> sections = new ArrayList<>();
  private final List<String> writers = new ArrayList<>();

  private TestConfig(String baseUrl, Path stateDir) {
    this.baseUrl = baseUrl;
    this.stateDir = stateDir;
  }

  /** A config for {@code feishu} keeping its state in {@code stateDir}, with no writer yet. */
  public static TestConfig pointedAt(FakeFeishu feishu, Path stateDir) {
    return new TestConfig(feishu.baseUrl().toString(), stateDir);
  }

  /** A config for the Feishu stand-in reached at {@code baseUrl} (through a proxy, say), with no writer yet. */
  public static TestConfig pointedAt(String baseUrl, Path stateDir) {
    return new TestConfig(baseUrl, stateDir);
  }

  /**
   * A config for {@code feishu} laid out in {@code dir}: state in {@code dir/state}, and {@link #fileWriter()} and
   * {@link #write()} at {@code dir/allow.conf} and {@code dir/config.yaml}.
   */
  public static TestConfig inDir(FakeFeishu feishu, Path dir) {
    TestConfig c = pointedAt(feishu, dir.resolve("state"));
    c.dir = dir;
    return c;
  }

  /** Adds a {@code file} writer of {@code allow.conf} in the {@link #inDir} directory. */
  public TestConfig fileWriter() {
    return fileWriter(dir.resolve("allow.conf"), "");
  }

  /** Writes {@code config.yaml} in the {@link #inDir} directory and returns it. */
  public Path write() throws IOException {
    return writeTo(dir.resolve("config.yaml"));
  }

  /** Adds keys to the {@code feishu} section, e.g. {@code "max_attempts: 2"}; one per line. */
  public TestConfig feishu(String lines) {
    feishuLines.add(indent(lines, "  "));
    return this;
  }

  /** Adds top-level YAML as it stands, e.g. {@code "logging:\n  format: json"}. */
  public TestConfig section(String yaml) {
    sections.add(yaml.strip());
    return this;
  }

  /** Adds a {@code file} writer of {@code allowlist}, with more of its keys one per line (may be empty). */
  public TestConfig fileWriter(Path allowlist, String lines) {
    return writer("type: file\npath: " + allowlist + (lines.isBlank() ? "" : "\n" + lines.strip()));
  }

  /** Adds a writer given by its keys, one per line, e.g. {@code "type: nftables\nports: [443]"}. */
  public TestConfig writer(String keys) {
    writers.add("  - " + indent(keys, "    ").substring(4));
    return this;
  }

  /** The whole file. */
  public String yaml() {
    StringBuilder y = new StringBuilder()
        .append("feishu:\n")
        .append("  base_url: ").append(baseUrl).append('\n')
        .append("  app_id: ").append(FakeFeishu.APP_ID).append('\n')
        .append("  app_secret: ${FEISHU_APP_SECRET}\n");
    feishuLines.forEach(l -> y.append(l).append('\n'));
    y.append(FakeFeishu.LAB_VALIDATION).append('\n')
        .append("state_dir: ").append(stateDir).append('\n');
    sections.forEach(s -> y.append(s).append('\n'));
    y.append("writers:\n");
    writers.forEach(w -> y.append(w).append('\n'));
    return y.toString();
  }

  /** Writes {@link #yaml()} to {@code file} and returns it. */
  public Path writeTo(Path file) throws IOException {
    return Files.writeString(file, yaml());
  }

  private static String indent(String lines, String by) {
    return by + String.join("\n" + by, lines.strip().split("\n"));
  }
}

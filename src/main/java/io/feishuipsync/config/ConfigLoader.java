package io.feishuipsync.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.source.SourceRegistry;
import io.feishuipsync.state.FileErrors;
import io.feishuipsync.state.SecretFiles;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterRegistry;
import io.feishuipsync.writer.WriterType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads the YAML config, substitutes {@code ${ENV}} references, and validates every key before anything runs.
 * Every error is a {@link ConfigException} that names the file and the key.
 */
public final class ConfigLoader {

  public static final Path DEFAULT_PATH = Path.of("/etc/feishu-ipsync/config.yaml");

  private final WriterRegistry registry;
  private final SourceRegistry sources;
  private final ConfigText substitution;
  private final Secrets secrets;
  private final Function<String, String> env;

  /**
   * A loader accepting the writer types of {@code registry} and the sender types of {@code sources}, reading the
   * process environment.
   */
  public ConfigLoader(WriterRegistry registry, SourceRegistry sources) {
    this(registry, sources, System::getenv);
  }

  /** A loader reading {@code env} for {@code ${VAR}} and {@code CREDENTIALS_DIRECTORY}; for tests. */
  public ConfigLoader(WriterRegistry registry, SourceRegistry sources, Function<String, String> env) {
    this.registry = registry;
    this.sources = sources;
    this.substitution = new ConfigText(env);
    this.secrets = new Secrets(env);
    this.env = env;
  }

  /** Shared mapper for writer settings (snake_case, unknown keys refused). */
  public static ObjectMapper mapper() {
    return ConfigText.YAML;
  }

  /** Loads and validates {@code path}. */
  public Config load(Path path) {
    String text;
    try {
      text = new String(ConfigText.readGiven(path), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(path + ": file not found (use --config to name another)", e);
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot read: " + FileErrors.describe(e), e);
    }
    try {
      return parse(text, path);
    } catch (ConfigException e) {
      throw new ConfigException(path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Only the state directory of {@code path}, without validating the rest: {@code status} must work where the app
   * secret is not available (another user, no environment).
   */
  public Path stateDir(Path path) {
    try {
      JsonNode tree = ConfigText.YAML.readTree(new String(ConfigText.readGiven(path), StandardCharsets.UTF_8));
      JsonNode dir = tree == null ? null : tree.get("state_dir");
      if (dir == null || dir.isNull()) {
        return Path.of("/var/lib/feishu-ipsync");
      }
      Path p = Path.of(substitution.expand("state_dir", dir.asText()));
      if (!p.isAbsolute()) {
        throw new ConfigException("state_dir", "must be an absolute path, got '" + dir.asText() + "'");
      }
      return p;
    } catch (NoSuchFileException e) {
      throw new ConfigException(path + ": file not found (use --config to name another)", e);
    } catch (JacksonException e) {
      throw new ConfigException(path + ": not valid YAML: " + ConfigText.yamlProblem(e) + ConfigText.lineOf(e), e);
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot read: " + FileErrors.describe(e), e);
    }
  }

  /**
   * Only the {@code removal} and {@code sources} sections of {@code path}, for {@code status}; the defaults when the
   * file cannot be read (status then says so through {@link #stateDir}).
   */
  public ListSettings.Timings timings(Path path) {
    try {
      return ListSections.timings(ConfigText.YAML.readTree(new String(ConfigText.readGiven(path),
          StandardCharsets.UTF_8)));
    } catch (IOException | ConfigException e) {
      return ListSections.timings(null);
    }
  }

  /**
   * Only the {@code cluster} section of {@code path} (null when there is none), without validating the rest, for
   * {@code status}; its password is resolved as {@link #load} does.
   */
  public ClusterSettings cluster(Path path) {
    try {
      JsonNode tree = ConfigText.tree(new String(ConfigText.readGiven(path), StandardCharsets.UTF_8));
      JsonNode node = tree == null || !tree.isObject() ? null : tree.get("cluster");
      if (node == null || node.isNull()) {
        return null;
      }
      substitution.substitute(node, "cluster");
      return ClusterSettings.from(ConfigText.map(node, RawConfig.Cluster.class, "cluster"), secrets);
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot read: " + FileErrors.describe(e), e);
    } catch (ConfigException e) {
      throw new ConfigException(path + ": " + e.getMessage(), e);
    }
  }

  /** Validates YAML {@code text}; {@code source} is used in messages and to resolve relative paths. */
  public Config parse(String text, Path source) {
    JsonNode tree = ConfigText.tree(text);
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(null, "the file is empty");
    }
    if (!tree.isObject()) {
      throw new ConfigException(null, "the top level must be a mapping of keys");
    }
    substitution.substitute(tree, "");
    RawConfig raw = ConfigText.map(tree, RawConfig.class, "");
    ListSettings lists = ListSections.from(raw, sources,
        SecretFiles.credentialsDirectory(env.apply("CREDENTIALS_DIRECTORY")));
    Path stateDir = Path.of(Objects.requireNonNullElse(raw.stateDir(), "/var/lib/feishu-ipsync"));
    if (!stateDir.isAbsolute()) {
      throw new ConfigException("state_dir", "must be an absolute path, got '" + raw.stateDir() + "'");
    }
    return new Config(source, ScheduleSettings.from(raw.schedule()), stateDir,
        PolicySections.guard(raw.guard()), PolicySections.validation(raw.validation()),
        Config.LoggingSettings.from(raw.logging()), ReportSections.metrics(raw.metrics()),
        ReportSections.notify(raw.notifications(), secrets), ClusterSettings.from(raw.cluster(), secrets),
        writers(raw.writers(), stateDir, lists), lists, PolicySections.enforce(raw.enforce()));
  }

  private List<WriterSpec> writers(List<JsonNode> nodes, Path stateDir, ListSettings lists) {
    if (nodes == null || nodes.isEmpty()) {
      throw new ConfigException("writers", "missing; name at least one writer (e.g. type: dryrun)");
    }
    List<WriterSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Map<String, String> owners = new HashMap<>();
    CommandRunner refuse = (argv, stdin, timeout) -> {
      throw new IllegalStateException("validation runs no commands");
    };
    // Building a writer validates it; a probe never serves, so a port in use is found by check(), not here.
    WriterContext probe = new WriterContext(refuse, stateDir, TreeSet::new, false,
        SecretFiles.credentialsDirectory(env.apply("CREDENTIALS_DIRECTORY")));
    for (int i = 0; i < nodes.size(); i++) {
      String key = "writers[" + i + "]";
      JsonNode node = nodes.get(i);
      if (node == null || !node.isObject()) {
        throw new ConfigException(key, "must be a mapping with a type");
      }
      JsonNode typeNode = node.get("type");
      if (typeNode == null || !typeNode.isTextual()) {
        throw new ConfigException(key + ".type", "missing; one of: " + String.join(", ", registry.typeNames()));
      }
      WriterType<?> type = registry.find(typeNode.asText()).orElseThrow(() -> new ConfigException(
          key + ".type", "'" + typeNode.asText() + "' is not one of: " + String.join(", ", registry.typeNames())));
      ObjectNode settingsNode = ((ObjectNode) node).deepCopy();
      settingsNode.remove("type");
      JsonNode own = settingsNode.remove("also_allow");
      List<String> listed = own == null || own.isNull() ? null
          : ConfigText.map(own, RawConfig.OwnEntries.class, key + ".also_allow").entries();
      Set<String> routed = ListSections.routing(key + ".senders", settingsNode.remove("senders"), lists);
      Object settings = ConfigText.map(settingsNode, type.settingsClass(), key);
      WriterSpec spec = new WriterSpec(i, type, settings, ListSections.ownEntries(key + ".also_allow", listed),
          routed);
      Writer built = spec.build(probe);
      String name = built.name();
      if (!names.add(name)) {
        throw new ConfigException(key, "a second writer named '" + name + "'; each writer needs its own target");
      }
      for (String target : new TreeSet<>(built.targets())) {
        String other = owners.putIfAbsent(target, key);
        if (other != null) {
          throw new ConfigException(key, "writes " + target + ", as " + other + " does; the two would undo each"
              + " other's changes on every run (give one another description, or another target)");
        }
      }
      out.add(spec);
    }
    return List.copyOf(out);
  }
}

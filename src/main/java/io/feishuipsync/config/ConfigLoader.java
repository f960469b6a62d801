package io.feishuipsync.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Secret;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.feishu.FeishuSettings;
import io.feishuipsync.state.DirectoryTrust;
import io.feishuipsync.state.FileErrors;
import io.feishuipsync.state.SafeFiles;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterRegistry;
import io.feishuipsync.writer.WriterType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the YAML config, substitutes {@code ${ENV}} references, and validates every key before anything runs.
 * Every error is a {@link ConfigException} that names the file and the key.
 */
public final class ConfigLoader {

  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

  public static final Path DEFAULT_PATH = Path.of("/etc/feishu-ipsync/config.yaml");

  private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final String CREDENTIAL_NAME = "app_secret";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final WriterRegistry registry;
  private final Function<String, String> env;

  /** A loader accepting the writer types of {@code registry}, reading the process environment. */
  public ConfigLoader(WriterRegistry registry) {
    this(registry, System::getenv);
  }

  /** A loader reading {@code env} for {@code ${VAR}} and {@code CREDENTIALS_DIRECTORY}; for tests. */
  public ConfigLoader(WriterRegistry registry, Function<String, String> env) {
    this.registry = registry;
    this.env = env;
  }

  /** Shared mapper for writer settings (snake_case, unknown keys refused). */
  public static ObjectMapper mapper() {
    return YAML;
  }

  /** Loads and validates {@code path}. */
  public Config load(Path path) {
    String text;
    try {
      text = new String(readGiven(path), StandardCharsets.UTF_8);
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
      JsonNode tree = YAML.readTree(new String(readGiven(path), StandardCharsets.UTF_8));
      JsonNode dir = tree == null ? null : tree.get("state_dir");
      if (dir == null || dir.isNull()) {
        return Path.of("/var/lib/feishu-ipsync");
      }
      Path p = Path.of(expand("state_dir", dir.asText()));
      if (!p.isAbsolute()) {
        throw new ConfigException("state_dir", "must be an absolute path, got '" + dir.asText() + "'");
      }
      return p;
    } catch (NoSuchFileException e) {
      throw new ConfigException(path + ": file not found (use --config to name another)", e);
    } catch (JacksonException e) {
      throw new ConfigException(path + ": not valid YAML: " + e.getOriginalMessage() + lineOf(e), e);
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot read: " + FileErrors.describe(e), e);
    }
  }

  /**
   * Reads a file the operator named (the config, a secret). In a directory another account may write, a link
   * there is not followed: it could lead a run as root to any file, a secret one sent to Feishu as the secret.
   * Elsewhere links are followed, as mounted secrets and configuration management use them.
   */
  private static byte[] readGiven(Path p) throws IOException {
    Path parent = p.toAbsolutePath().getParent();
    Optional<String> shared = parent == null ? Optional.empty() : DirectoryTrust.forProcess(null).problem(parent);
    if (shared.isEmpty()) {
      return Files.readAllBytes(p);
    }
    if (Files.isSymbolicLink(p)) {
      throw new FileSystemException(p.toString(), null, "is a symbolic link, not followed: " + shared.get());
    }
    return SafeFiles.read(p);
  }

  /** Validates YAML {@code text}; {@code source} is used in messages and to resolve relative paths. */
  public Config parse(String text, Path source) {
    JsonNode tree;
    try {
      tree = YAML.readTree(text);
    } catch (JacksonException e) {
      throw new ConfigException(null, "not valid YAML: " + e.getOriginalMessage() + lineOf(e));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(null, "the file is empty");
    }
    if (!tree.isObject()) {
      throw new ConfigException(null, "the top level must be a mapping of keys");
    }
    substitute(tree, "");
    RawConfig raw = map(tree, RawConfig.class, "");
    FeishuSettings feishu = feishu(raw.feishu());
    Path stateDir = Path.of(orDefault(raw.stateDir(), "/var/lib/feishu-ipsync"));
    if (!stateDir.isAbsolute()) {
      throw new ConfigException("state_dir", "must be an absolute path, got '" + raw.stateDir() + "'");
    }
    return new Config(source, feishu, schedule(raw.schedule()), stateDir, guard(raw.guard()),
        validation(raw.validation()), logging(raw.logging()),
        metrics(raw.metrics()), notifications(raw.notifications()), writers(raw.writers(), stateDir));
  }

  private FeishuSettings feishu(RawConfig.Feishu f) {
    if (f == null) {
      throw new ConfigException("feishu", "missing; it needs at least app_id and the app secret");
    }
    URI base = baseUrl(orDefault(f.baseUrl(), FeishuSettings.FEISHU.toString()));
    if (f.appId() == null || f.appId().isBlank()) {
      throw new ConfigException("feishu.app_id", "missing");
    }
    if (!APP_ID.matcher(f.appId()).matches()) {
      throw new ConfigException("feishu.app_id", "'" + f.appId() + "' is not an app id (letters, digits, _ and -)");
    }
    FeishuSettings d = FeishuSettings.defaults(base, f.appId(), secret(f));
    int pageSize = orDefault(f.pageSize(), d.pageSize());
    if (pageSize < 10 || pageSize > 50) {
      throw new ConfigException("feishu.page_size", pageSize + " is outside Feishu's range 10..50");
    }
    int maxPages = orDefault(f.maxPages(), d.maxPages());
    if (maxPages < 1 || maxPages > 1_000_000) {
      throw new ConfigException("feishu.max_pages", maxPages + " is outside 1..1000000");
    }
    int maxAttempts = orDefault(f.maxAttempts(), d.maxAttempts());
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new ConfigException("feishu.max_attempts", maxAttempts + " is outside 1..100");
    }
    return new FeishuSettings(base, f.appId(), d.appSecret(), pageSize, maxPages,
        positive("feishu.connect_timeout", f.connectTimeout(), d.connectTimeout()),
        positive("feishu.response_timeout", f.responseTimeout(), d.responseTimeout()),
        maxAttempts,
        positive("feishu.max_retry_time", f.maxRetryTime(), d.maxRetryTime()),
        positive("feishu.max_rate_limit_wait", f.maxRateLimitWait(), d.maxRateLimitWait()),
        d.maxResponseBytes());
  }

  private static URI baseUrl(String text) {
    String t = switch (text.toLowerCase(Locale.ROOT)) {
      case "feishu" -> FeishuSettings.FEISHU.toString();
      case "lark" -> FeishuSettings.LARK.toString();
      default -> text;
    };
    try {
      URI uri = new URI(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
      boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
      if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new URISyntaxException(t, "expected http(s)://host[:port]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException("feishu.base_url",
          "'" + text + "' is not a base URL; use feishu, lark, or https://host[:port]");
    }
  }

  private Secret secret(RawConfig.Feishu f) {
    // An empty app_secret (e.g. ${FEISHU_APP_SECRET:-} with the variable unset) means "look elsewhere".
    boolean literal = f.appSecret() != null && !f.appSecret().isBlank();
    if (literal && f.appSecretFile() != null) {
      throw new ConfigException("feishu.app_secret", "set either app_secret or app_secret_file, not both");
    }
    if (literal) {
      return Secret.of(f.appSecret().strip());
    }
    if (f.appSecretFile() != null) {
      return secretFromFile("feishu.app_secret_file", Path.of(f.appSecretFile()));
    }
    String credentials = env.apply("CREDENTIALS_DIRECTORY");
    if (credentials != null && !credentials.isBlank()) {
      Path p = Path.of(credentials, CREDENTIAL_NAME);
      // notExists is false also when the directory cannot be searched: then the credential is there but unreadable.
      if (!Files.notExists(p)) {
        requireReadableCredential(p);
        return secretFromFile("$CREDENTIALS_DIRECTORY/" + CREDENTIAL_NAME, p);
      }
    }
    throw new ConfigException("feishu.app_secret",
        "missing; set app_secret (e.g. ${FEISHU_APP_SECRET}), app_secret_file, or a systemd credential named "
            + CREDENTIAL_NAME);
  }

  /**
   * systemd announced a credential the service user cannot read: in a container {@code LoadCredential=} may fall
   * back to a root-only directory. Says so, with the path and the reason, and the way around it.
   */
  private static void requireReadableCredential(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      in.read();
    } catch (IOException e) {
      String why = e instanceof FileSystemException f && f.getFile() != null ? FileErrors.describe(e)
          : p + ": " + FileErrors.describe(e);
      throw new ConfigException("$CREDENTIALS_DIRECTORY/" + CREDENTIAL_NAME, "set, but the credential cannot be"
          + " read: " + why + "; systemd passed it where this user cannot read it (LoadCredential= in a container"
          + " can do that): use feishu.app_secret_file instead, a file of mode 0640 in group feishu-ipsync");
    }
  }

  /** Reads a secret file as {@link #readGiven} does; a secret every account may read is worth a warning. */
  private static Secret secretFromFile(String key, Path p) {
    try {
      byte[] bytes = readGiven(p);
      int mode = (Integer) Files.getAttribute(p, "unix:mode");
      if ((mode & 0004) != 0) {
        log.warn("{}: {} is readable by every account (mode {}); make it 0600, or 0640 with group feishu-ipsync",
            key, p, String.format(Locale.ROOT, "%04o", mode & 07777));
      }
      String s = new String(bytes, StandardCharsets.UTF_8).strip();
      if (s.isEmpty()) {
        throw new ConfigException(key, p + " is empty");
      }
      return Secret.of(s);
    } catch (NoSuchFileException e) {
      throw new ConfigException(key, p + " does not exist");
    } catch (FileSystemException e) {
      throw new ConfigException(key, "cannot read " + FileErrors.describe(e));
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + p + ": " + e.getClass().getSimpleName());
    }
  }

  private static ScheduleSettings schedule(RawConfig.Schedule s) {
    if (s == null) {
      s = new RawConfig.Schedule(null, null, null, null);
    }
    if (s.interval() != null && s.cron() != null) {
      throw new ConfigException("schedule", "set either interval or cron, not both");
    }
    Duration interval = null;
    String cron = null;
    if (s.cron() != null) {
      try {
        CronExpression.validateExpression(s.cron());
      } catch (java.text.ParseException e) {
        throw new ConfigException("schedule.cron", "'" + s.cron() + "' is not a Quartz cron expression: "
            + e.getMessage());
      }
      cron = s.cron();
    } else {
      interval = positive("schedule.interval", s.interval(), Duration.ofHours(6));
      if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new ConfigException("schedule.interval", "must be at least 1m");
      }
    }
    Duration retry = positive("schedule.retry_after", s.retryAfter(), Duration.ofMinutes(5));
    return new ScheduleSettings(interval, cron, orDefault(s.runOnStart(), true), retry);
  }

  private static GuardSettings guard(RawConfig.Guard g) {
    if (g == null) {
      return GuardSettings.DEFAULTS;
    }
    int min = orDefault(g.minEntries(), GuardSettings.DEFAULTS.minEntries());
    if (min < 1) {
      throw new ConfigException("guard.min_entries", min + " is below 1; an empty list is always refused");
    }
    double ratio = orDefault(g.maxRemovalRatio(), GuardSettings.DEFAULTS.maxRemovalRatio());
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new ConfigException("guard.max_removal_ratio", ratio + " is outside 0..1");
    }
    long v4 = orDefault(g.maxAddedV4Addresses(), GuardSettings.DEFAULT_MAX_ADDED_V4_ADDRESSES);
    if (v4 < 1) {
      throw new ConfigException("guard.max_added_v4_addresses", v4 + " is below 1");
    }
    long v6 = orDefault(g.maxAddedV6Networks(), GuardSettings.DEFAULT_MAX_ADDED_V6_NETWORKS);
    if (v6 < 1) {
      throw new ConfigException("guard.max_added_v6_networks", v6 + " is below 1");
    }
    return new GuardSettings(min, ratio, v4, v6);
  }

  private static EntryPolicy validation(RawConfig.Validation v) {
    if (v == null) {
      return EntryPolicy.FEISHU_DEFAULTS;
    }
    int v4 = orDefault(v.minPrefixV4(), EntryPolicy.DEFAULT_MIN_PREFIX_V4);
    if (v4 < 1 || v4 > 32) {
      throw new ConfigException("validation.min_prefix_v4", v4 + " is outside 1..32");
    }
    int v6 = orDefault(v.minPrefixV6(), EntryPolicy.DEFAULT_MIN_PREFIX_V6);
    if (v6 < 1 || v6 > 128) {
      throw new ConfigException("validation.min_prefix_v6", v6 + " is outside 1..128");
    }
    List<IpRange> allow = new ArrayList<>();
    List<String> listed = orDefault(v.allowSpecial(), List.of());
    for (int i = 0; i < listed.size(); i++) {
      String key = "validation.allow_special[" + i + "]";
      if (listed.get(i) != null && listed.get(i).isEmpty()) {
        // What an unset ${VAR:-} leaves: the config offers an exemption it does not grant (quickstart.yaml).
        continue;
      }
      try {
        allow.add(IpRange.parse(listed.get(i)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key, "'" + listed.get(i) + "' is not a CIDR: " + e.getMessage());
      }
    }
    return new EntryPolicy(v4, v6, true, allow, "validation");
  }

  private static Config.LoggingSettings logging(RawConfig.Logging l) {
    String format = l == null ? null : l.format();
    String level = l == null ? null : l.level();
    format = orDefault(format, "text");
    if (!Set.of("text", "json").contains(format)) {
      throw new ConfigException("logging.format", "'" + format + "' is not one of: text, json");
    }
    level = orDefault(level, "info").toLowerCase(Locale.ROOT);
    if (!Set.of("error", "warn", "info", "debug", "trace").contains(level)) {
      throw new ConfigException("logging.level", "'" + level + "' is not one of: error, warn, info, debug, trace");
    }
    return new Config.LoggingSettings(format, level);
  }

  private static Config.MetricsSettings metrics(RawConfig.Metrics m) {
    if (m == null) {
      return new Config.MetricsSettings(null, null, false);
    }
    java.net.InetSocketAddress listen = null;
    if (m.listen() != null) {
      Matcher hp = Pattern.compile("(?:\\[([0-9a-fA-F:]+)]|([0-9.]+|localhost)):([0-9]{1,5})").matcher(m.listen());
      int port = hp.matches() ? Integer.parseInt(hp.group(3)) : -1;
      if (port < 0 || port > 65535) {
        throw new ConfigException("metrics.listen", "'" + m.listen() + "' is not host:port, e.g. 127.0.0.1:9464");
      }
      String host = hp.group(1) != null ? hp.group(1) : hp.group(2);
      listen = new java.net.InetSocketAddress(host.equals("localhost") ? "127.0.0.1" : host, port);
    }
    Path textfile = null;
    if (m.textfile() != null) {
      textfile = Path.of(m.textfile());
      if (!textfile.isAbsolute() || !m.textfile().endsWith(".prom")) {
        throw new ConfigException("metrics.textfile", "must be an absolute path ending in .prom");
      }
    }
    return new Config.MetricsSettings(listen, textfile, Boolean.TRUE.equals(m.allowSharedDirectory()));
  }

  private Config.NotifySettings notifications(RawConfig.Notify n) {
    if (n == null) {
      return new Config.NotifySettings(null, null, 3, Duration.ofMinutes(10));
    }
    int failures = orDefault(n.failuresBeforeAlert(), 3);
    if (failures < 1 || failures > 1000) {
      throw new ConfigException("notify.failures_before_alert", failures + " is outside 1..1000");
    }
    Duration interval = n.minInterval() == null ? Duration.ofMinutes(10)
        : Durations.parse("notify.min_interval", n.minInterval());
    return new Config.NotifySettings(channel("notify.feishu_bot", n.feishuBot(), "feishu_bot_secret"),
        channel("notify.webhook", n.webhook(), "webhook_secret"), failures, interval);
  }

  private Config.Channel channel(String key, RawConfig.Channel c, String credential) {
    if (c == null) {
      return null;
    }
    if (c.url() == null) {
      throw new ConfigException(key + ".url", "missing");
    }
    java.net.URI url;
    try {
      url = new java.net.URI(c.url());
      if (url.getHost() == null || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
        throw new URISyntaxException(c.url(), "not http(s)");
      }
    } catch (URISyntaxException e) {
      // The URL may hold a token: do not repeat it.
      throw new ConfigException(key + ".url", "is not an http(s) URL");
    }
    if (c.secret() != null && c.secretFile() != null) {
      throw new ConfigException(key + ".secret", "set either secret or secret_file, not both");
    }
    Secret secret = null;
    if (c.secret() != null && !c.secret().isBlank()) {
      secret = Secret.of(c.secret().strip());
    } else if (c.secretFile() != null) {
      secret = secretFromFile(key + ".secret_file", Path.of(c.secretFile()));
    } else {
      String credentials = env.apply("CREDENTIALS_DIRECTORY");
      if (credentials != null && !credentials.isBlank() && Files.exists(Path.of(credentials, credential))) {
        secret = secretFromFile("$CREDENTIALS_DIRECTORY/" + credential, Path.of(credentials, credential));
      }
    }
    return new Config.Channel(url, secret);
  }

  private List<WriterSpec> writers(List<JsonNode> nodes, Path stateDir) {
    if (nodes == null || nodes.isEmpty()) {
      throw new ConfigException("writers", "missing; name at least one writer (e.g. type: dryrun)");
    }
    List<WriterSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    CommandRunner refuse = (argv, stdin, timeout) -> {
      throw new IllegalStateException("validation runs no commands");
    };
    WriterContext probe = new WriterContext(refuse, stateDir, TreeSet::new);
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
      Object settings = map(settingsNode, type.settingsClass(), key);
      WriterSpec spec = new WriterSpec(i, type, settings);
      String name = spec.build(probe).name();
      if (!names.add(name)) {
        throw new ConfigException(key, "a second writer named '" + name + "'; each writer needs its own target");
      }
      out.add(spec);
    }
    return List.copyOf(out);
  }

  /** Replaces {@code ${VAR}} and {@code ${VAR:-default}} in every string value, in place. */
  private void substitute(JsonNode node, String path) {
    if (node instanceof ObjectNode obj) {
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      List<Map.Entry<String, JsonNode>> replace = new ArrayList<>();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (e.getValue().isTextual()) {
          replace.add(Map.entry(e.getKey(), TextNode.valueOf(expand(child, e.getValue().asText()))));
        } else {
          substitute(e.getValue(), child);
        }
      }
      replace.forEach(e -> obj.set(e.getKey(), e.getValue()));
    } else if (node instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        String child = path + "[" + i + "]";
        if (arr.get(i).isTextual()) {
          arr.set(i, TextNode.valueOf(expand(child, arr.get(i).asText())));
        } else {
          substitute(arr.get(i), child);
        }
      }
    }
  }

  private String expand(String key, String value) {
    Matcher m = ENV_REF.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null || v.isEmpty()) {
        v = m.group(2);
      }
      if (v == null) {
        throw new ConfigException(key, "environment variable " + m.group(1) + " is not set");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static <T> T map(JsonNode node, Class<T> type, String prefix) {
    try {
      return YAML.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      String key = join(prefix, path(e));
      throw new ConfigException(key, "unknown key" + known(e));
    } catch (JsonMappingException e) {
      String key = join(prefix, path(e));
      throw new ConfigException(key, "wrong type of value: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (JacksonException e) {
      throw new ConfigException(prefix, e.getOriginalMessage());
    }
  }

  private static String known(UnrecognizedPropertyException e) {
    if (e.getKnownPropertyIds() == null || e.getKnownPropertyIds().isEmpty()) {
      return "";
    }
    return "; known keys here: " + String.join(", ", e.getKnownPropertyIds().stream().map(Object::toString)
        .sorted().toList());
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String join(String prefix, String key) {
    if (prefix.isEmpty()) {
      return key;
    }
    return key.isEmpty() ? prefix : prefix + "." + key;
  }

  private static String lineOf(JacksonException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }

  private static Duration positive(String key, String text, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    Duration d = Durations.parse(key, text);
    if (d.isZero()) {
      throw new ConfigException(key, "must be greater than zero");
    }
    return d;
  }

  private static <T> T orDefault(T value, T fallback) {
    return value == null ? fallback : value;
  }
}

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
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.state.SecretFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * From config text to typed values: parses YAML, substitutes {@code ${VAR}} and {@code ${VAR:-default}} from the
 * environment, and translates every Jackson error into a {@link ConfigException} naming the key and the problem.
 */
final class ConfigText {

  private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Function<String, String> env;

  ConfigText(Function<String, String> env) {
    this.env = env;
  }

  /** Reads a file the operator named, as {@link SecretFiles#readGiven} does. */
  static byte[] readGiven(Path p) throws IOException {
    return SecretFiles.readGiven(p);
  }

  /** The YAML tree of {@code text}, not yet substituted; a syntax error names its line. */
  static JsonNode tree(String text) {
    try {
      return YAML.readTree(text);
    } catch (JacksonException e) {
      throw new ConfigException(null, "not valid YAML: " + yamlProblem(e) + lineOf(e));
    }
  }

  /** " (line N)" where Jackson knows the line, else nothing. */
  /**
   * What the YAML parser says is wrong, in one line and without the text around it: its message quotes the line it
   * stopped at (which may hold a secret) and a caret under it; only the problem sentences are kept, and the line
   * number ({@link #lineOf}) says where.
   */
  static String yamlProblem(JacksonException e) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    List<String> kept = new ArrayList<>();
    for (String line : original.split("\\R")) {
      String t = line.strip();
      if (t.isEmpty() || line.startsWith("  ") || t.startsWith("in 'reader'") || t.startsWith("^")) {
        continue;
      }
      kept.add(t);
    }
    return Sanitize.text(kept.isEmpty() ? "unreadable" : String.join("; ", kept), 200);
  }

  static String lineOf(JacksonException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }

  /** Replaces {@code ${VAR}} and {@code ${VAR:-default}} in every string value, in place. */
  void substitute(JsonNode node, String path) {
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

  /** {@code value} with its references substituted; an unset variable without a default is an error at {@code key}. */
  String expand(String key, String value) {
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

  /** Maps {@code node} (found at {@code prefix}) to {@code type}; unknown keys and wrong types name their key. */
  static <T> T map(JsonNode node, Class<T> type, String prefix) {
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
}

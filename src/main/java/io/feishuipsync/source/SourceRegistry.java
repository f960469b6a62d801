package io.feishuipsync.source;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sender types a config may name, looked up by {@code type:}. The list is composed at the top (the CLI) and
 * handed to config loading, so nothing below the CLI knows the concrete sources.
 */
public final class SourceRegistry {

  private final Map<String, SourceType<?>> byName;

  /** A registry of {@code types}; two types with one name are a programming error. */
  public SourceRegistry(List<SourceType<?>> types) {
    this.byName = types.stream().collect(Collectors.toUnmodifiableMap(SourceType::type, Function.identity()));
  }

  /** The type registered under {@code type}, if any. */
  public Optional<SourceType<?>> find(String type) {
    return Optional.ofNullable(byName.get(type));
  }

  /** Names of all registered types, sorted, for error messages. */
  public List<String> typeNames() {
    return byName.keySet().stream().sorted().toList();
  }
}

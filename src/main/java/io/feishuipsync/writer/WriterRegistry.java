package io.feishuipsync.writer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The writer types a config may name, looked up by {@code type:}. The list is composed at the top (the CLI) and
 * handed to config loading, so nothing below the CLI knows the concrete writers.
 */
public final class WriterRegistry {

  private final Map<String, WriterType<?>> byName;

  /** A registry of {@code types}; two types with one name are a programming error. */
  public WriterRegistry(List<WriterType<?>> types) {
    this.byName = types.stream().collect(Collectors.toUnmodifiableMap(WriterType::type, Function.identity()));
  }

  /** The type registered under {@code type}, if any. */
  public Optional<WriterType<?>> find(String type) {
    return Optional.ofNullable(byName.get(type));
  }

  /** Names of all registered types, sorted, for error messages. */
  public List<String> typeNames() {
    return byName.keySet().stream().sorted().toList();
  }
}

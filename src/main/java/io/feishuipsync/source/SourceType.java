package io.feishuipsync.source;

import java.util.function.BiFunction;

/**
 * One kind of sender as it appears in the config ({@code type: github}). Its settings are a record read by Jackson
 * from the sender's YAML node (snake_case keys, unknown keys refused), without {@code type}, {@code name} and
 * {@code validation}, which every sender has.
 *
 * @param type the value of {@code type:} in the config
 * @param settingsClass the settings record
 * @param factory validates the settings and builds the source, as {@link #create}
 * @param minPrefixV4 the broadest IPv4 prefix its senders publish, when neither the sender's nor the top-level
 *     {@code validation} sets {@code min_prefix_v4}
 * @param minPrefixV6 the same for IPv6
 * @param <C> the settings record
 */
public record SourceType<C>(String type, Class<C> settingsClass, BiFunction<C, SourceContext, Source> factory,
    int minPrefixV4, int minPrefixV6) {

  /**
   * Validates the settings and builds the source. Throws {@link io.feishuipsync.core.ConfigException} naming the
   * offending key relative to the sender (e.g. {@code base_url}); sends nothing.
   */
  public Source create(C settings, SourceContext context) {
    return factory.apply(settings, context);
  }
}

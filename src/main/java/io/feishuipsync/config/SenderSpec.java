package io.feishuipsync.config;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.source.Source;
import io.feishuipsync.source.SourceContext;
import io.feishuipsync.source.SourceType;
import java.nio.file.Path;
import java.time.Clock;

/**
 * One sender of the config ({@code senders[i]}, or an app of {@code feishu:}), its settings read and validated, not
 * yet built.
 *
 * @param key where it is in the config, for messages ({@code senders[2]}, {@code feishu}, {@code feishu[1]})
 * @param name its name, the label of its entries in status, history, metrics and notifications
 * @param type the registered sender type
 * @param settings the type's settings record
 * @param policy the entries it may send ({@code validation} of the sender, else the top-level one)
 * @param unsuffixed true for the single app of a {@code feishu:} mapping (its credential is {@code app_secret})
 * @param credentials systemd's {@code $CREDENTIALS_DIRECTORY} when the config was loaded, or null
 */
public record SenderSpec(String key, String name, SourceType<?> type, Object settings, EntryPolicy policy,
    boolean unsuffixed, Path credentials) {

  /** Builds the source; validation already passed when the config was loaded. */
  public Source build(Clock clock, Sleeper sleeper) {
    try {
      return create(type, settings, context(clock, sleeper));
    } catch (ConfigException e) {
      // A secret's problems name their key in full already (SourceContext).
      boolean whole = e.key() != null && (e.key().startsWith(key + ".") || e.key().startsWith("$CREDENTIALS"));
      throw whole ? e : e.under(key);
    }
  }

  /** What the source is built with. */
  public SourceContext context(Clock clock, Sleeper sleeper) {
    return new SourceContext(name, key, unsuffixed, clock, sleeper, credentials);
  }

  private static <C> Source create(SourceType<C> type, Object settings, SourceContext context) {
    return type.create(type.settingsClass().cast(settings), context);
  }
}

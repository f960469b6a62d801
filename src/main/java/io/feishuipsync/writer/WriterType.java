package io.feishuipsync.writer;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import java.util.function.BiFunction;

/**
 * One kind of writer as it appears in the config ({@code type: nftables}). Its settings are a record read by
 * Jackson from the writer's YAML node (snake_case keys, unknown keys refused).
 *
 * @param type the value of {@code type:} in the config
 * @param settingsClass the settings record
 * @param factory validates the settings and builds the writer, as {@link #create}
 * @param placement where the writer runs in cluster mode
 * @param <C> the settings record
 */
public record WriterType<C>(String type, Class<C> settingsClass, BiFunction<C, WriterContext, Writer> factory,
    Placement placement) {

  /** Where a writer runs when several nodes form a cluster; a single node runs every writer itself. */
  public enum Placement {
    /** On every node, against that node's own kernel or files, with that node's state directory. */
    HOST,
    /** Once per scheduled fire on one node of the cluster, with the state in the cluster database (cloud APIs). */
    CLUSTER
  }

  /** The type named {@code type} in the config, reading {@code settingsClass}, built by {@code factory}; HOST. */
  public static <C> WriterType<C> of(String type, Class<C> settingsClass,
      BiFunction<C, WriterContext, Writer> factory) {
    return new WriterType<>(type, settingsClass, factory, Placement.HOST);
  }

  /** This type, run once for the whole cluster: for writers whose target every node shares (a cloud API). */
  public WriterType<C> inCluster() {
    return new WriterType<>(type, settingsClass, factory, Placement.CLUSTER);
  }

  /**
   * Validates the settings and builds the writer. Throws {@link ConfigException} naming the offending key (relative
   * to the writer, e.g. {@code ports}); changes nothing on the host.
   */
  public Writer create(C settings, WriterContext context) {
    return factory.apply(settings, context);
  }
}

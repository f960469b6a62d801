package io.feishuipsync.writer.nftables;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.Names;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;
import java.util.List;
import java.util.Locale;

/** {@code type: nftables}: one table of its own (or two sets in the operator's table), one {@code nft -f} per change. */
public final class NftablesWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE = WriterType.of("nftables", Settings.class, NftablesWriterType::create);

  /**
   * Settings of the nftables writer.
   *
   * @param mode {@code full} (own table, sets and chain; default) or {@code sets_only} (only the two sets, in the
   *     operator's table, which the operator's own rules reference)
   * @param table table name, family inet (default {@code feishu_ipsync})
   * @param chain chain name in full mode (default {@code filter})
   * @param setV4 name of the IPv4 set (default {@code allow_v4})
   * @param setV6 name of the IPv6 set (default {@code allow_v6})
   * @param ports protected ports or ranges (full mode)
   * @param protocol {@code tcp} (default) or {@code udp}
   * @param hook {@code input} (default) or {@code forward}
   * @param priority chain priority (default 0, the filter priority)
   * @param nft the nft binary (default {@code nft})
   */
  public record Settings(String mode, String table, String chain, String setV4, String setV6, List<String> ports,
      String protocol, String hook, Integer priority, String nft) {}

  private NftablesWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    String mode = s.mode() == null ? "full" : s.mode();
    if (!mode.equals("full") && !mode.equals("sets_only")) {
      throw new ConfigException("mode", "'" + mode + "' is not one of: full, sets_only");
    }
    boolean setsOnly = mode.equals("sets_only");
    if (setsOnly && s.table() == null) {
      throw new ConfigException("table", "missing; sets_only mode puts the sets in a table you name");
    }
    String table = Names.identifier("table", s.table(), "feishu_ipsync");
    String setV4 = Names.identifier("set_v4", s.setV4(), "allow_v4");
    String setV6 = Names.identifier("set_v6", s.setV6(), "allow_v6");
    if (setV4.equals(setV6)) {
      throw new ConfigException("set_v6", "must differ from set_v4");
    }
    if (setsOnly) {
      for (String key : new String[] {"chain", "ports", "protocol", "hook", "priority"}) {
        if (switch (key) {
          case "chain" -> s.chain() != null;
          case "ports" -> s.ports() != null;
          case "protocol" -> s.protocol() != null;
          case "hook" -> s.hook() != null;
          default -> s.priority() != null;
        }) {
          throw new ConfigException(key, "has no effect in sets_only mode; your own rules decide what the sets guard");
        }
      }
      return new NftablesWriter(new NftLayout(table, null, setV4, setV6, List.of(), null, null, 0),
          binary(s.nft()), context.runner());
    }
    String chain = Names.identifier("chain", s.chain(), "filter");
    List<PortRange> ports = PortRange.parseAll("ports", s.ports());
    String protocol = PortRange.protocol(s.protocol());
    String hook = (s.hook() == null ? "input" : s.hook()).toLowerCase(Locale.ROOT);
    if (!hook.equals("input") && !hook.equals("forward")) {
      throw new ConfigException("hook", "'" + s.hook() + "' is not one of: input, forward");
    }
    int priority = s.priority() == null ? 0 : s.priority();
    if (priority < -400 || priority > 400) {
      throw new ConfigException("priority", priority + " is outside -400..400");
    }
    return new NftablesWriter(new NftLayout(table, chain, setV4, setV6, ports, protocol, hook, priority),
        binary(s.nft()), context.runner());
  }

  private static String binary(String nft) {
    if (nft == null) {
      return "nft";
    }
    if (!nft.matches("[A-Za-z0-9_./-]+")) {
      throw new ConfigException("nft", "'" + nft + "' is not a program path");
    }
    return nft;
  }
}

package io.feishuipsync.writer;

import io.feishuipsync.writer.aws.PrefixListWriterType;
import io.feishuipsync.writer.aws.SecurityGroupWriterType;
import io.feishuipsync.writer.dryrun.DryRunWriterType;
import io.feishuipsync.writer.file.FileWriterType;
import io.feishuipsync.writer.iptables.IptablesWriterType;
import io.feishuipsync.writer.nftables.NftablesWriterType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every writer type the daemon knows. Adding a writer means adding it here and nowhere else. */
public final class WriterRegistry {

  private static final List<WriterType<?>> TYPES = List.of(
      DryRunWriterType.TYPE,
      FileWriterType.TYPE,
      NftablesWriterType.TYPE,
      IptablesWriterType.TYPE,
      SecurityGroupWriterType.TYPE,
      PrefixListWriterType.TYPE);

  private static final Map<String, WriterType<?>> BY_NAME =
      TYPES.stream().collect(Collectors.toUnmodifiableMap(WriterType::type, Function.identity()));

  private WriterRegistry() {}

  /** The type registered under {@code type}, if any. */
  public static Optional<WriterType<?>> find(String type) {
    return Optional.ofNullable(BY_NAME.get(type));
  }

  /** Names of all registered types, sorted, for error messages. */
  public static List<String> typeNames() {
    return BY_NAME.keySet().stream().sorted().toList();
  }
}

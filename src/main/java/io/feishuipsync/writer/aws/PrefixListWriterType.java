package io.feishuipsync.writer.aws;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;

/** {@code type: aws-prefix-list}: a customer-managed prefix list that security groups reference. */
public final class PrefixListWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE =
      WriterType.of("aws-prefix-list", Settings.class, PrefixListWriterType::create).inCluster();

  /**
   * Settings of the prefix list writer: the connection keys of {@link AwsSettings} and
   *
   * @param prefixListId the list, e.g. {@code pl-0123456789abcdef0}; the writer owns all of its entries
   * @param description description given to each entry (default {@code feishu-ipsync})
   */
  public record Settings(String region, String endpoint, String profile, String accessKeyId, String secretAccessKey,
      String prefixListId, String description) implements AwsSettings {}

  private PrefixListWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    AwsConnection connection = s.connection();
    if (s.prefixListId() == null || !s.prefixListId().matches("pl-[0-9a-f]{8,17}")) {
      throw new ConfigException("prefix_list_id", s.prefixListId() == null ? "missing, e.g. pl-0123456789abcdef0"
          : "'" + s.prefixListId() + "' is not a prefix list id");
    }
    String description = s.description() == null ? "feishu-ipsync" : s.description();
    if (description.isBlank() || description.length() > 255) {
      throw new ConfigException("description", "must be 1..255 characters");
    }
    return new PrefixListWriter(s.prefixListId(), description, connection::client, Sleeper.SYSTEM);
  }
}

package io.feishuipsync.writer.aliyun;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;

/** {@code type: aliyun-prefix-list}: an ECS prefix list, referenced from the operator's security group rules. */
public final class AliyunPrefixListWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE =
      WriterType.of("aliyun-prefix-list", Settings.class, AliyunPrefixListWriterType::create).inCluster();

  /**
   * Settings of the Alibaba Cloud prefix list writer: the connection keys as for {@code aliyun-security-group}, and
   *
   * @param prefixListId the list, e.g. {@code pl-bp1c4fdj9q2bxk6xxxxx}; the writer owns all of its entries
   * @param description description given to each entry, 2..32 characters (default {@code feishu-ipsync})
   */
  public record Settings(String region, String endpoint, String accessKeyId, String accessKeySecret,
      String accessKeySecretFile, String prefixListId, String description) {}

  private AliyunPrefixListWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    AliyunConnection connection = AliyunConnection.of(s.region(), s.endpoint(), s.accessKeyId(),
        s.accessKeySecret(), s.accessKeySecretFile(), context);
    if (s.prefixListId() == null || !s.prefixListId().matches("pl-[a-z0-9]{8,40}")) {
      throw new ConfigException("prefix_list_id", s.prefixListId() == null ? "missing, e.g. pl-bp1c4fdj9q2bxk6xxxxx"
          : "'" + s.prefixListId().replaceAll("\\p{Cntrl}", "?") + "' is not a prefix list id");
    }
    String description = s.description() == null ? "feishu-ipsync" : s.description();
    // The service's limit for a prefix list entry's description is 32 characters.
    if (!description.matches("[A-Za-z0-9 ._:/()#,@\\[\\]+=&;{}!$*-]{2,32}") || description.startsWith("http")) {
      throw new ConfigException("description", "must be 2..32 plain characters, not starting with http");
    }
    return new EcsPrefixListWriter(connection.region(), s.prefixListId(), description, connection::client,
        Sleeper.SYSTEM);
  }
}

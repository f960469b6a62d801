package io.feishuipsync.writer.aliyun;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;
import java.util.List;

/** {@code type: aliyun-security-group}: ingress rules, marked by their description, in ECS security groups. */
public final class AliyunSecurityGroupWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE =
      WriterType.of("aliyun-security-group", Settings.class, AliyunSecurityGroupWriterType::create)
          .inCluster();

  /** Rules per DescribeSecurityGroupAttribute page. */
  static final int PAGE_SIZE = 100;

  /**
   * Settings of the Alibaba Cloud security group writer.
   *
   * @param region region id, e.g. {@code cn-hangzhou}
   * @param endpoint ECS endpoint override: a host (a VPC endpoint) or an http(s)://host:port URL (tests)
   * @param accessKeyId AccessKey id instead of the default credential chain
   * @param accessKeySecret its secret, best as {@code ${ENV}}; or {@code access_key_secret_file}, or the systemd
   *     credential {@code aliyun_access_key_secret}
   * @param accessKeySecretFile a file holding the secret
   * @param groupIds the security groups to keep
   * @param ports protected ports, a single port or one range per entry
   * @param protocol {@code tcp} (default) or {@code udp}
   * @param description marker in the rule description; the writer owns only rules that carry it
   * @param maxRules the rules-per-group quota, both directions and families together (default 200)
   */
  public record Settings(String region, String endpoint, String accessKeyId, String accessKeySecret,
      String accessKeySecretFile, List<String> groupIds, List<String> ports, String protocol, String description,
      Integer maxRules) {}

  private AliyunSecurityGroupWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    AliyunConnection connection = AliyunConnection.of(s.region(), s.endpoint(), s.accessKeyId(),
        s.accessKeySecret(), s.accessKeySecretFile(), context);
    if (s.groupIds() == null || s.groupIds().isEmpty()) {
      throw new ConfigException("group_ids", "missing; list the security groups, e.g. [sg-bp67acfmxazb4ph6xxxx]");
    }
    for (int i = 0; i < s.groupIds().size(); i++) {
      String g = s.groupIds().get(i);
      if (g == null || !g.matches("sg-[a-z0-9]{8,40}")) {
        throw new ConfigException("group_ids[" + i + "]", "'" + String.valueOf(g).replaceAll("\\p{Cntrl}", "?")
            + "' is not a security group id");
      }
    }
    if (s.groupIds().stream().distinct().count() != s.groupIds().size()) {
      throw new ConfigException("group_ids", "lists a group twice");
    }
    List<PortRange> ports = PortRange.parseAll("ports", s.ports());
    String protocol = PortRange.protocol(s.protocol());
    String marker = s.description() == null ? "feishu-ipsync" : s.description();
    // ECS allows 1..512 characters; the marker is compared exactly, so plain printable text only.
    if (!marker.matches("[A-Za-z0-9 ._:/()#,@\\[\\]+=&;{}!$*-]{1,255}") || marker.isBlank()
        || marker.startsWith("http://") || marker.startsWith("https://")) {
      throw new ConfigException("description", "must be 1..255 plain characters, not starting with http(s)://");
    }
    int maxRules = s.maxRules() == null ? 200 : s.maxRules();
    if (maxRules < 1 || maxRules > 5000) {
      throw new ConfigException("max_rules", maxRules + " is outside 1..5000");
    }
    EcsSecurityGroupWriter.Target target = new EcsSecurityGroupWriter.Target(connection.region(),
        List.copyOf(s.groupIds()), ports, protocol, marker, maxRules);
    return new EcsSecurityGroupWriter(target, connection::client, Sleeper.SYSTEM, PAGE_SIZE);
  }
}

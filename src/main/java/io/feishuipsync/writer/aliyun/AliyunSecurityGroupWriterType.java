package io.feishuipsync.writer.aliyun;

import io.feishuipsync.cloud.CloudSettings;
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
    List<String> groupIds = CloudSettings.groupIds(s.groupIds(), "sg-[a-z0-9]{8,40}", "sg-bp67acfmxazb4ph6xxxx");
    List<PortRange> ports = PortRange.parseAll("ports", s.ports());
    String protocol = PortRange.protocol(s.protocol());
    String marker = s.description() == null ? "feishu-ipsync" : s.description();
    // ECS allows 1..512 characters; the marker is compared exactly, so plain printable text only.
    if (!marker.matches("[A-Za-z0-9 ._:/()#,@\\[\\]+=&;{}!$*-]{1,255}") || marker.isBlank()
        || marker.startsWith("http://") || marker.startsWith("https://")) {
      throw new ConfigException("description", "must be 1..255 plain characters, not starting with http(s)://");
    }
    int maxRules = CloudSettings.maxRules(s.maxRules(), 200, 5000);
    EcsSecurityGroupWriter.Target target = new EcsSecurityGroupWriter.Target(connection.region(), groupIds,
        ports, protocol, marker, maxRules);
    return new EcsSecurityGroupWriter(target, connection::client, Sleeper.SYSTEM, PAGE_SIZE);
  }
}

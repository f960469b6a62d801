package io.feishuipsync.writer.aws;

import io.feishuipsync.cloud.CloudSettings;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;
import java.util.List;

/** {@code type: aws-security-group}: ingress rules, marked by their description, in one or more security groups. */
public final class SecurityGroupWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE =
      WriterType.of("aws-security-group", Settings.class, SecurityGroupWriterType::create).inCluster();

  /**
   * Settings of the security group writer: the connection keys of {@link AwsSettings} and
   *
   * @param groupIds the security groups to keep
   * @param ports protected ports, a single port or one range per entry
   * @param protocol {@code tcp} (default) or {@code udp}
   * @param description marker in the rule description; the writer owns only rules that carry it
   * @param maxRules the account's rules-per-group quota per address family (default 60)
   */
  public record Settings(String region, String endpoint, String profile, String accessKeyId, String secretAccessKey,
      List<String> groupIds, List<String> ports, String protocol, String description, Integer maxRules)
      implements AwsSettings {}

  private SecurityGroupWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    AwsConnection connection = s.connection();
    List<String> groupIds = CloudSettings.groupIds(s.groupIds(), "sg-[0-9a-f]{8,17}", "sg-0123456789abcdef0");
    List<PortRange> ports = PortRange.parseAll("ports", s.ports());
    String protocol = PortRange.protocol(s.protocol());
    String marker = s.description() == null ? "feishu-ipsync" : s.description();
    if (!marker.matches("[A-Za-z0-9 ._:/()#,@\\[\\]+=&;{}!$*-]{1,255}") || marker.isBlank()) {
      throw new ConfigException("description", "must be 1..255 characters AWS allows in a rule description");
    }
    int maxRules = CloudSettings.maxRules(s.maxRules(), 60, 1000);
    return new SecurityGroupWriter(groupIds, ports, protocol, marker, maxRules,
        connection::client, Sleeper.SYSTEM);
  }
}

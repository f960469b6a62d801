package io.feishuipsync.writer.tencent;

import io.feishuipsync.cloud.CloudSettings;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterSecrets;
import io.feishuipsync.writer.WriterType;
import java.util.List;

/**
 * {@code type: tencentcloud-security-group}: ingress policies, marked by their PolicyDescription, in one or more
 * Tencent Cloud security groups; or ({@code mode: address_template}) one IP address template the operator's
 * policies reference.
 */
public final class TencentWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE =
      WriterType.of("tencentcloud-security-group", Settings.class, TencentWriterType::create).inCluster();

  /** The systemd credential read when neither {@code secret_key} nor {@code secret_key_file} is set. */
  static final String CREDENTIAL = "tencentcloud_secret_key";

  /** Tencent Cloud's default quota: 100 ingress policies per security group. */
  static final int DEFAULT_MAX_RULES = 100;
  /** Tencent Cloud's documented quota of members per IP address template. */
  static final int DEFAULT_MAX_TEMPLATE_ADDRESSES = 20;

  /**
   * Settings of the Tencent Cloud writer.
   *
   * @param region e.g. {@code ap-guangzhou}
   * @param endpoint VPC API endpoint override, {@code https://host[:port]} (the internal endpoint; tests)
   * @param secretId SecretId instead of the default credential chain (with a secret key)
   * @param secretKey its SecretKey, best as {@code ${ENV}}
   * @param secretKeyFile a file holding the SecretKey instead
   * @param groupIds the security groups to keep (mode {@code policies})
   * @param ports protected ports, a single port or one range per entry (mode {@code policies})
   * @param protocol {@code tcp} (default) or {@code udp} (mode {@code policies})
   * @param description marker in PolicyDescription (default {@code feishu-ipsync}); only marked policies are touched
   * @param mode {@code policies} (default) or {@code address_template}
   * @param templateId the address template, e.g. {@code ipm-0abc1234} (mode {@code address_template})
   * @param maxRules policies per group (default 100), or addresses in the template (default 20), the account allows
   */
  public record Settings(String region, String endpoint, String secretId, String secretKey, String secretKeyFile,
      List<String> groupIds, List<String> ports, String protocol, String description, String mode,
      String templateId, Integer maxRules) {

    /** Without the secret key, should a settings record ever reach a log line. */
    @Override
    public String toString() {
      return "Settings[region=" + region + ", endpoint=" + endpoint + ", secretId=" + secretId + ", secretKey="
          + (secretKey == null ? null : "******") + ", secretKeyFile=" + secretKeyFile + ", groupIds=" + groupIds
          + ", ports=" + ports + ", protocol=" + protocol + ", description=" + description + ", mode=" + mode
          + ", templateId=" + templateId + ", maxRules=" + maxRules + "]";
    }
  }

  private TencentWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    return create(s, context, Sleeper.SYSTEM);
  }

  /** Validates {@code s} (throwing {@link ConfigException} naming the key) and builds the writer. */
  static Writer create(Settings s, WriterContext context, Sleeper sleeper) {
    Secret key = WriterSecrets.find(context, "secret_key", s.secretKey(), s.secretKeyFile(), CREDENTIAL);
    if (s.secretId() == null && key != null && (s.secretKey() == null || s.secretKey().isBlank())
        && s.secretKeyFile() == null) {
      // A systemd credential without a secret_id is someone else's business: the default chain still applies.
      key = null;
    }
    TencentConnection connection = TencentConnection.of(s.region(), s.endpoint(), s.secretId(), key);
    String marker = s.description() == null ? "feishu-ipsync" : s.description();
    if (!marker.matches("[\\p{L}\\p{N} ._:/()#,@+=&;!*-]{1,100}") || marker.isBlank()) {
      throw new ConfigException("description", "must be 1..100 letters, digits, spaces or ._:/()#,@+=&;!*-");
    }
    String mode = s.mode() == null ? "policies" : s.mode();
    int maxRules = CloudSettings.maxRules(s.maxRules(), mode.equals("address_template")
        ? DEFAULT_MAX_TEMPLATE_ADDRESSES : DEFAULT_MAX_RULES, 1000);
    if (mode.equals("address_template")) {
      if (s.groupIds() != null || s.ports() != null || s.protocol() != null) {
        throw new ConfigException(s.groupIds() != null ? "group_ids" : s.ports() != null ? "ports" : "protocol",
            "is not used in mode address_template: the operator's policies that reference the template carry the"
                + " groups, ports and protocol");
      }
      if (s.templateId() == null || !s.templateId().matches("ipm-[a-z0-9]{8,16}")) {
        throw new ConfigException("template_id", s.templateId() == null ? "missing in mode address_template, e.g."
            + " ipm-0abc1234" : "'" + s.templateId() + "' is not an address template id like ipm-0abc1234");
      }
      return new AddressTemplateWriter(s.templateId(), marker, maxRules, connection::client, sleeper);
    }
    if (!mode.equals("policies")) {
      throw new ConfigException("mode", "'" + mode + "' is not one of: policies, address_template");
    }
    if (s.templateId() != null) {
      throw new ConfigException("template_id", "is used only in mode address_template");
    }
    List<String> groupIds = CloudSettings.groupIds(s.groupIds(), "sg-[a-z0-9]{8,16}", "sg-0abc1234");
    List<PortRange> ports = PortRange.parseAll("ports", s.ports());
    String protocol = PortRange.protocol(s.protocol());
    return new PolicyWriter(groupIds, ports, protocol, marker, maxRules, connection::client,
        sleeper);
  }
}

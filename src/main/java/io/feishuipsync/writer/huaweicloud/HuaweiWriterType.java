package io.feishuipsync.writer.huaweicloud;

import io.feishuipsync.cloud.Bundle;
import io.feishuipsync.cloud.CloudSettings;
import io.feishuipsync.cloud.huaweicloud.VpcApi;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterSecrets;
import io.feishuipsync.writer.WriterType;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.util.List;

/**
 * {@code type: huaweicloud-security-group}: ingress rules, marked by their description, in Huawei Cloud VPC security
 * groups; or, in mode {@code address_group}, one VPC address group that the operator's rules reference.
 */
public final class HuaweiWriterType {

  /** Its registration in {@code cli.WriterTypes}. */
  public static final WriterType<Settings> TYPE =
      WriterType.of("huaweicloud-security-group", Settings.class, HuaweiWriterType::create).inCluster();

  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  /** The systemd credential that may hold the secret key. */
  static final String CREDENTIAL = "huaweicloud_secret_key";
  /** The SDK's packages and its HTTP stack's, loaded from its bundle first (see {@link Bundle}). */
  static final List<String> ISOLATED = List.of("com.huaweicloud.", "okhttp3.", "okio.", "kotlin.",
      "org.jetbrains.annotations.", "org.openeuler.", "io.feishuipsync.writer.huaweicloud.sdk.");

  /**
   * Settings of the Huawei Cloud security group writer.
   *
   * @param region e.g. {@code cn-north-4}
   * @param endpoint the VPC endpoint, {@code https://host[:port]} (default https://vpc.REGION.myhuaweicloud.com)
   * @param projectId the project of the region (console: My Credentials, API Credentials)
   * @param accessKey the AK; without it the SDK's default chain (HUAWEICLOUD_SDK_AK/SK, the ECS metadata agency)
   * @param secretKey the SK, best as {@code ${ENV}}; or {@code secret_key_file}, or the systemd credential
   *     {@code huaweicloud_secret_key}
   * @param secretKeyFile a file holding the SK
   * @param mode {@code security_group} (default): rules in {@code group_ids}; {@code address_group}: one address
   *     group, {@code address_group_id}, that the operator's rules reference
   * @param addressGroupId the address group of mode {@code address_group}; the writer owns all its entries
   * @param groupIds the security groups to keep (UUIDs)
   * @param ports protected ports, a single port or one range per entry
   * @param protocol {@code tcp} (default) or {@code udp}
   * @param description marker in the rule description; the writer owns only rules that carry it
   * @param maxRules the rules-per-group quota, both directions and families together (default 1000)
   */
  public record Settings(String region, String endpoint, String projectId, String accessKey, String secretKey,
      String secretKeyFile, String mode, String addressGroupId, List<String> groupIds, List<String> ports, String protocol, String description,
      Integer maxRules) {}

  private HuaweiWriterType() {}

  private static Writer create(Settings s, WriterContext context) {
    if (s.region() == null || !s.region().matches("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}") || s.region().length() > 40) {
      throw new ConfigException("region", s.region() == null ? "missing, e.g. cn-north-4"
          : "'" + s.region().replaceAll("\\p{Cntrl}", "?") + "' is not a Huawei Cloud region like cn-north-4");
    }
    String endpoint = "https://vpc." + s.region() + ".myhuaweicloud.com";
    if (s.endpoint() != null) {
      URI uri = CloudSettings.httpUrl(s.endpoint(), true);
      if (uri == null) {
        throw new ConfigException("endpoint", "'" + s.endpoint().replaceAll("\\p{Cntrl}", "?")
            + "' is not an http(s)://host[:port] URL");
      }
      endpoint = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
    if (s.projectId() == null || !s.projectId().matches("[0-9a-f]{32}")) {
      throw new ConfigException("project_id", s.projectId() == null ? "missing: the project of " + s.region()
          + " (console: My Credentials, API Credentials), 32 hex digits" : "is not a project id (32 hex digits)");
    }
    Secret secret = secret(s, context);
    String finalEndpoint = endpoint;
    HuaweiSecurityGroupWriter.Apis apis = () -> api(finalEndpoint, s.projectId(), s.accessKey(), secret);
    String mode = s.mode() == null ? "security_group" : s.mode();
    if (mode.equals("address_group")) {
      if (s.addressGroupId() == null || !s.addressGroupId().matches(UUID)) {
        throw new ConfigException("address_group_id", s.addressGroupId() == null ? "missing in mode address_group,"
            + " e.g. 9ba14e42-2f5c-4b26-a7e9-5a1b0c3d4e5f" : "is not an address group id (a UUID)");
      }
      if (s.groupIds() != null || s.ports() != null || s.maxRules() != null || s.description() != null) {
        throw new ConfigException("mode", "address_group keeps one address group; group_ids, ports, max_rules and"
            + " description belong to mode security_group");
      }
      return new HuaweiAddressGroupWriter(s.region(), s.addressGroupId(), apis, Sleeper.SYSTEM);
    }
    if (!mode.equals("security_group")) {
      throw new ConfigException("mode", "'" + mode.replaceAll("\\p{Cntrl}", "?") + "' is neither security_group nor"
          + " address_group");
    }
    if (s.addressGroupId() != null) {
      throw new ConfigException("address_group_id", "belongs to mode address_group");
    }
    List<String> groupIds = CloudSettings.groupIds(s.groupIds(), UUID, "0552091e-b83a-49dd-88a7-4a5c86fd9ec3");
    List<PortRange> ports = PortRange.parseAll("ports", s.ports());
    String protocol = PortRange.protocol(s.protocol());
    String marker = s.description() == null ? "feishu-ipsync" : s.description();
    // VPC allows 0..255 characters without angle brackets; the marker is compared exactly, so plain text only.
    if (!marker.matches("[A-Za-z0-9 ._:/()#,@+=-]{1,128}") || marker.isBlank()) {
      throw new ConfigException("description", "must be 1..128 plain characters (letters, digits, space and"
          + " . _ : / ( ) # , @ + = -)");
    }
    int maxRules = CloudSettings.maxRules(s.maxRules(), 1000, 10_000);
    HuaweiSecurityGroupWriter.Target target = new HuaweiSecurityGroupWriter.Target(s.region(), groupIds, ports,
        protocol, marker, maxRules);
    return new HuaweiSecurityGroupWriter(target, apis, Sleeper.SYSTEM, context.lastApplied());
  }

  /** The SK, when an AK is set; checked. */
  private static Secret secret(Settings s, WriterContext context) {
    Secret secret = WriterSecrets.find(context, "secret_key", s.secretKey(), s.secretKeyFile(), CREDENTIAL);
    if (s.accessKey() == null && secret != null) {
      throw new ConfigException("access_key", "missing; a secret key needs its access key");
    }
    if (s.accessKey() != null) {
      if (!s.accessKey().matches("[A-Z0-9]{16,40}")) {
        throw new ConfigException("access_key", "is not a Huawei Cloud access key (AK)");
      }
      if (secret == null) {
        throw new ConfigException("secret_key", "missing; set secret_key (e.g. ${HUAWEICLOUD_SDK_SK}),"
            + " secret_key_file, or a systemd credential named " + CREDENTIAL);
      }
      if (secret.reveal().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new ConfigException("secret_key", "does not hold one secret key (printable characters, no spaces)");
      }
    }
    return secret;
  }

  /** The SDK side, made in the SDK bundle's class loader on first use. */
  static VpcApi api(String endpoint, String projectId, String accessKey, Secret secret) {
    ClassLoader loader = Bundle.loader("huaweicloud", HuaweiWriterType.class, ISOLATED);
    try {
      // By name: this package never links against the SDK side, which only the bundle's loader defines.
      return (VpcApi) Class.forName(HuaweiWriterType.class.getPackageName() + ".sdk.SdkVpc", true, loader)
          .getConstructor(String.class, String.class, String.class, String.class)
          .newInstance(endpoint, projectId, accessKey, secret == null ? null : secret.reveal());
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("the Huawei Cloud SDK could not start: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("the Huawei Cloud SDK bundle is incomplete: " + e, e);
    }
  }
}

package io.feishuipsync.writer.volcengine;

import io.feishuipsync.cloud.CloudSettings;
import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterSecrets;
import io.feishuipsync.writer.WriterType;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * {@code type: volcengine-security-group}: ingress rules, marked by their description, in Volcano Engine VPC
 * security groups; {@code type: volcengine-clb-acl}: the marked entries of a Volcano Engine CLB access control list.
 */
public final class VolcWriterTypes {

  /** Security groups. */
  public static final WriterType<GroupSettings> SECURITY_GROUP =
      WriterType.of("volcengine-security-group", GroupSettings.class, VolcWriterTypes::group).inCluster();

  /** A CLB access control list. */
  public static final WriterType<AclSettings> CLB_ACL =
      WriterType.of("volcengine-clb-acl", AclSettings.class, VolcWriterTypes::acl).inCluster();

  /** The systemd credential that may hold the secret access key. */
  static final String CREDENTIAL = "volcengine_secret_access_key";
  /** Where the OpenAPI answers every service and region (the region is part of each signature). */
  static final String ENDPOINT = "https://open.volcengineapi.com";
  /** The documented entries of a CLB ACL. */
  static final int ACL_ENTRIES = 300;

  /**
   * Settings of the security group writer.
   *
   * @param region e.g. {@code cn-beijing}
   * @param endpoint the OpenAPI endpoint, {@code https://host[:port]} (default https://open.volcengineapi.com)
   * @param accessKeyId the AccessKey id; without it the environment's VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY
   * @param secretAccessKey its secret, best as {@code ${ENV}}; or {@code secret_access_key_file}, or the systemd
   *     credential {@code volcengine_secret_access_key}
   * @param secretAccessKeyFile a file holding the secret
   * @param groupIds the security groups to keep
   * @param ports protected ports, a single port or one range per entry
   * @param protocol {@code tcp} (default) or {@code udp}
   * @param description marker in the rule description; the writer owns only rules that carry it
   * @param maxRules the rules-per-group quota, both directions together (default 100)
   */
  public record GroupSettings(String region, String endpoint, String accessKeyId, String secretAccessKey,
      String secretAccessKeyFile, List<String> groupIds, List<String> ports, String protocol, String description,
      Integer maxRules) {}

  /**
   * Settings of the CLB ACL writer: the connection keys as above, and
   *
   * @param aclId the ACL, e.g. {@code acl-3cj44nv0jhhxc6c6rrtet****}
   * @param description the marker: the writer owns the entries with exactly this description
   * @param maxEntries the ACL's entry quota (default 300), checked at the peak of a change
   */
  public record AclSettings(String region, String endpoint, String accessKeyId, String secretAccessKey,
      String secretAccessKeyFile, String aclId, String description, Integer maxEntries) {}

  /** Where and as whom to call; the AccessKey is looked up on the first call when the config names none. */
  record Connection(String region, URI endpoint, String accessKeyId, Secret secret) {

    Lazy<VolcApi, RuntimeException> api(String service, String version) {
      return new Lazy<>(() -> {
        String id = accessKeyId;
        Secret s = secret;
        if (id == null) {
          id = System.getenv("VOLCENGINE_ACCESS_KEY");
          String env = System.getenv("VOLCENGINE_SECRET_KEY");
          if (id == null || id.isBlank() || env == null || env.isBlank()) {
            throw new IllegalStateException("no AccessKey: set access_key_id and secret_access_key, or the"
                + " environment's VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY");
          }
          s = Secret.of(env.strip());
        }
        return new VolcApi(endpoint, region, service, version, id, s, Clock.systemUTC());
      });
    }

    @Override
    public String toString() {
      return "Connection[" + region + " " + endpoint + "]";
    }
  }

  private VolcWriterTypes() {}

  private static Writer group(GroupSettings s, WriterContext context) {
    Connection c = connection(s.region(), s.endpoint(), s.accessKeyId(), s.secretAccessKey(),
        s.secretAccessKeyFile(), context);
    List<String> groupIds = CloudSettings.groupIds(s.groupIds(), "sg-[a-z0-9]{8,40}", "sg-2fepz6ouu7ke859gp6xxxx");
    List<PortRange> ports = PortRange.parseAll("ports", s.ports());
    String protocol = PortRange.protocol(s.protocol());
    String marker = marker(s.description());
    int maxRules = CloudSettings.maxRules(s.maxRules(), 100, 5000);
    return new VolcSecurityGroupWriter(new VolcSecurityGroupWriter.Target(c.region(), groupIds, ports, protocol,
        marker, maxRules), c.api("vpc", "2020-04-01"), Sleeper.SYSTEM);
  }

  private static Writer acl(AclSettings s, WriterContext context) {
    Connection c = connection(s.region(), s.endpoint(), s.accessKeyId(), s.secretAccessKey(),
        s.secretAccessKeyFile(), context);
    if (s.aclId() == null || !s.aclId().matches("acl-[a-z0-9]{8,40}")) {
      throw new ConfigException("acl_id", s.aclId() == null ? "missing, e.g. acl-3cj44nv0jhhxc6c6rrtetxxxx"
          : "'" + s.aclId().replaceAll("\\p{Cntrl}", "?") + "' is not an access control list id");
    }
    int maxEntries = s.maxEntries() == null ? ACL_ENTRIES : s.maxEntries();
    if (maxEntries < 1 || maxEntries > 10_000) {
      throw new ConfigException("max_entries", maxEntries + " is outside 1..10000");
    }
    return new VolcClbAclWriter(c.region(), s.aclId(), marker(s.description()), maxEntries,
        c.api("clb", "2020-04-01"), Sleeper.SYSTEM);
  }

  /** The description marker: it starts with a letter (the services require it) and is compared exactly. */
  private static String marker(String description) {
    String marker = description == null ? "feishu-ipsync" : description;
    if (!marker.matches("[A-Za-z][A-Za-z0-9 ,._=-]{0,63}") || marker.startsWith("http")) {
      throw new ConfigException("description", "must be 1..64 characters: a letter, then letters, digits, space and"
          + " , . _ = -");
    }
    return marker;
  }

  private static Connection connection(String region, String endpoint, String accessKeyId, String secret,
      String secretFile, WriterContext context) {
    if (region == null || !region.matches("[a-z]{2}-[a-z]+(-[0-9])?") || region.length() > 40) {
      throw new ConfigException("region", region == null ? "missing, e.g. cn-beijing"
          : "'" + region.replaceAll("\\p{Cntrl}", "?") + "' is not a Volcano Engine region like cn-beijing");
    }
    URI uri = CloudSettings.httpUrl(endpoint == null ? ENDPOINT : endpoint, true);
    if (uri == null) {
      throw new ConfigException("endpoint", "'" + String.valueOf(endpoint).replaceAll("\\p{Cntrl}", "?")
          + "' is not an http(s)://host[:port] URL");
    }
    Secret s = WriterSecrets.find(context, "secret_access_key", secret, secretFile, CREDENTIAL);
    if (accessKeyId == null) {
      if (s != null) {
        throw new ConfigException("access_key_id", "missing; a secret_access_key needs its access_key_id");
      }
      return new Connection(region, uri, null, null);
    }
    if (!accessKeyId.matches("[A-Za-z0-9]{16,64}")) {
      throw new ConfigException("access_key_id", "is not a Volcano Engine AccessKey id");
    }
    if (s == null) {
      throw new ConfigException("secret_access_key", "missing; set secret_access_key (e.g."
          + " ${VOLCENGINE_SECRET_KEY}), secret_access_key_file, or a systemd credential named " + CREDENTIAL);
    }
    if (s.reveal().chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
      throw new ConfigException("secret_access_key", "does not hold one secret (printable characters, no spaces)");
    }
    return new Connection(region, uri, accessKeyId, s);
  }
}

package io.feishuipsync.writer.aliyun;

import io.feishuipsync.cloud.CloudSettings;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterSecrets;
import java.net.URI;

/**
 * Where and as whom the writer calls Alibaba Cloud (ECS, ALB, SLB): region, optional endpoint (a VPC endpoint; tests),
 * and an AccessKey pair from config, or else the credentials SDK's default chain (environment, credentials file, ECS
 * instance RAM role).
 *
 * @param protocol {@code https}, or {@code http} only when an endpoint says so (tests)
 * @param endpoint host and optional port, or null for the region's public endpoint
 */
record AliyunConnection(String region, String protocol, String endpoint, String accessKeyId, Secret accessKeySecret) {

  /** The systemd credential that may hold the AccessKey secret. */
  static final String CREDENTIAL = "aliyun_access_key_secret";

  /** Validates the connection keys; throws {@link ConfigException} naming the key. */
  static AliyunConnection of(String region, String endpoint, String accessKeyId, String accessKeySecret,
      String accessKeySecretFile, WriterContext context) {
    if (region == null || !region.matches("[a-z]{2,3}(-[a-z0-9]+){1,3}") || region.length() > 40) {
      throw new ConfigException("region", region == null ? "missing, e.g. cn-hangzhou"
          : "'" + region.replaceAll("\\p{Cntrl}", "?") + "' is not an Alibaba Cloud region like cn-hangzhou");
    }
    String protocol = "https";
    String host = null;
    if (endpoint != null) {
      URI uri = CloudSettings.httpUrl(endpoint.contains("://") ? endpoint : "https://" + endpoint, true);
      if (uri == null) {
        throw new ConfigException("endpoint", "'" + endpoint.replaceAll("\\p{Cntrl}", "?")
            + "' is not a host or an http(s)://host[:port] URL");
      }
      protocol = uri.getScheme();
      host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }
    Secret secret = WriterSecrets.find(context, "access_key_secret", accessKeySecret, accessKeySecretFile,
        CREDENTIAL);
    if (accessKeyId == null) {
      if (accessKeySecret != null && !accessKeySecret.isBlank() || accessKeySecretFile != null) {
        throw new ConfigException("access_key_id", "missing; an AccessKey secret needs its id");
      }
      return new AliyunConnection(region, protocol, host, null, null);
    }
    if (!accessKeyId.matches("[A-Za-z0-9]{12,64}")) {
      throw new ConfigException("access_key_id", "is not an Alibaba Cloud AccessKey id");
    }
    if (secret == null) {
      throw new ConfigException("access_key_secret", "missing; set access_key_secret (e.g."
          + " ${ALIYUN_ACCESS_KEY_SECRET}), access_key_secret_file, or a systemd credential named " + CREDENTIAL);
    }
    if (secret.reveal().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new ConfigException("access_key_secret", "does not hold one AccessKey secret (printable characters,"
          + " no spaces)");
    }
    return new AliyunConnection(region, protocol, host, accessKeyId, secret);
  }

  /** A client for ECS in this region; the default chain is consulted on the first call, not here. */
  com.aliyun.ecs20140526.Client client() throws Exception {
    return new com.aliyun.ecs20140526.Client(config());
  }

  /** A client for ALB in this region. */
  com.aliyun.alb20200616.Client alb() throws Exception {
    return new com.aliyun.alb20200616.Client(config());
  }

  /** A client for SLB (CLB) in this region. */
  com.aliyun.slb20140515.Client slb() throws Exception {
    return new com.aliyun.slb20140515.Client(config());
  }

  /** Where and as whom every product's client calls: the same for ECS, ALB and SLB. */
  private com.aliyun.teaopenapi.models.Config config() throws Exception {
    com.aliyun.teaopenapi.models.Config c = new com.aliyun.teaopenapi.models.Config()
        .setRegionId(region)
        .setProtocol(protocol)
        .setConnectTimeout(10_000)
        .setReadTimeout(30_000)
        .setUserAgent("feishu-ipsync");
    if (endpoint != null) {
      c.setEndpoint(endpoint);
    }
    if (accessKeyId != null) {
      c.setCredential(new com.aliyun.credentials.Client(new com.aliyun.credentials.models.Config()
          .setType("access_key").setAccessKeyId(accessKeyId).setAccessKeySecret(accessKeySecret.reveal())));
    } else {
      c.setCredential(new com.aliyun.credentials.Client());
    }
    return c;
  }

  @Override
  public String toString() {
    return "AliyunConnection[" + region + (endpoint == null ? "" : " " + protocol + "://" + endpoint) + "]";
  }
}

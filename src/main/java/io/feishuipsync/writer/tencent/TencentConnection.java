package io.feishuipsync.writer.tencent;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.common.provider.DefaultCredentialsProvider;
import com.tencentcloudapi.vpc.v20170312.VpcClient;
import io.feishuipsync.cloud.CloudSettings;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import java.net.URI;

/**
 * Where and as whom the writer calls the VPC API: region, optional endpoint (the internal endpoint, tests), and
 * credentials from the SDK's default chain (environment, profile file, CVM role) unless a key pair is configured.
 */
record TencentConnection(String region, URI endpoint, String secretId, Secret secretKey) {

  /** Validates the connection keys; throws {@link ConfigException} naming the key. */
  static TencentConnection of(String region, String endpoint, String secretId, Secret secretKey) {
    if (region == null || !region.matches("[a-z]{2}-[a-z]+(-[a-z0-9]+){0,2}")) {
      throw new ConfigException("region", region == null ? "missing, e.g. ap-guangzhou"
          : "'" + region + "' is not a Tencent Cloud region like ap-guangzhou");
    }
    URI uri = endpoint == null ? null : CloudSettings.httpUrl(endpoint, true);
    if (endpoint != null && uri == null) {
      throw new ConfigException("endpoint", "'" + endpoint + "' is not an http(s)://host[:port] URL, e.g."
          + " https://vpc.internal.tencentcloudapi.com");
    }
    if ((secretId == null) != (secretKey == null)) {
      throw new ConfigException("secret_id", "set both secret_id and secret_key (or secret_key_file), or neither"
          + " to use the default credential chain");
    }
    if (secretId != null && !secretId.matches("[A-Za-z0-9]{8,128}")) {
      throw new ConfigException("secret_id", "is not a Tencent Cloud SecretId");
    }
    return new TencentConnection(region, uri, secretId, secretKey);
  }

  /** A client; throws when the default chain finds no credentials. */
  VpcClient client() throws TencentCloudSDKException {
    HttpProfile http = new HttpProfile();
    http.setConnTimeout(10);
    http.setReadTimeout(30);
    http.setWriteTimeout(30);
    if (endpoint != null) {
      http.setProtocol(endpoint.getScheme() + "://");
      // The SDK signs for the service named by the first label of this host, as the API checks it.
      http.setEndpoint(endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort()));
    }
    ClientProfile profile = new ClientProfile(ClientProfile.SIGN_TC3_256, http);
    return new VpcClient(credential(), region, profile);
  }

  private Credential credential() throws TencentCloudSDKException {
    if (secretId != null) {
      return new Credential(secretId, secretKey.reveal());
    }
    return new DefaultCredentialsProvider().getCredentials();
  }

  @Override
  public String toString() {
    return "TencentConnection[" + region + (endpoint == null ? "" : " " + endpoint) + "]";
  }
}

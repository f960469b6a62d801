package io.feishuipsync.writer.aws;

import io.feishuipsync.cloud.CloudSettings;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Where and as whom the AWS writers call EC2: region, optional endpoint (VPC endpoint, tests), and credentials from
 * the SDK's default chain unless a profile or keys are configured.
 */
record AwsConnection(String region, URI endpoint, String profile, String accessKeyId, Secret secretAccessKey) {

  /**
   * Bounds of one EC2 call, whatever the endpoint does: the socket timeout only bounds the wait for each read, so an
   * endpoint that drips its answer a byte at a time (a broken proxy, a hostile stand-in) would hold a run for ever.
   */
  static final Duration CALL_ATTEMPT = Duration.ofSeconds(60);
  /** All attempts of one call, the SDK's retries included. */
  static final Duration CALL_TOTAL = Duration.ofMinutes(3);

  /** Validates the shared AWS keys of a writer's settings; throws {@link ConfigException} naming the key. */
  static AwsConnection of(String region, String endpoint, String profile, String accessKeyId,
      String secretAccessKey) {
    if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-[0-9]")) {
      throw new ConfigException("region", region == null ? "missing, e.g. eu-west-1"
          : "'" + region + "' is not an AWS region like eu-west-1");
    }
    URI uri = endpoint == null ? null : CloudSettings.httpUrl(endpoint, false);
    if (endpoint != null && uri == null) {
      throw new ConfigException("endpoint", "'" + endpoint + "' is not an http(s) URL");
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new ConfigException("access_key_id", "set both access_key_id and secret_access_key, or neither");
    }
    if (profile != null && accessKeyId != null) {
      throw new ConfigException("profile", "set either profile or access keys, not both");
    }
    if (accessKeyId != null && !accessKeyId.matches("[A-Z0-9]{16,128}")) {
      throw new ConfigException("access_key_id", "is not an AWS access key id");
    }
    return new AwsConnection(region, uri, profile, accessKeyId,
        secretAccessKey == null ? null : Secret.of(secretAccessKey));
  }

  Ec2Client client() {
    return client(CALL_ATTEMPT, CALL_TOTAL);
  }

  /** A client whose calls end after {@code attempt} each and {@code total} in all. */
  Ec2Client client(Duration attempt, Duration total) {
    var b = Ec2Client.builder()
        .region(Region.of(region))
        .overrideConfiguration(o -> o.apiCallAttemptTimeout(attempt).apiCallTimeout(total))
        .credentialsProvider(credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(30)));
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }

  private AwsCredentialsProvider credentials() {
    if (accessKeyId != null) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey.reveal()));
    }
    if (profile != null) {
      return ProfileCredentialsProvider.create(profile);
    }
    return DefaultCredentialsProvider.builder().build();
  }

  @Override
  public String toString() {
    return "AwsConnection[" + region + (endpoint == null ? "" : " " + endpoint) + "]";
  }
}

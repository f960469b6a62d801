package io.feishuipsync.writer.aws;

import io.feishuipsync.core.ConfigException;

/**
 * The connection keys every AWS writer's settings record carries (Jackson 2.18 cannot unwrap a nested record into a
 * record, so each lists them): where and as whom the writer calls EC2.
 */
interface AwsSettings {

  /** AWS region, e.g. {@code eu-west-1}. */
  String region();

  /** EC2 endpoint override (VPC endpoint, tests). */
  String endpoint();

  /** Named profile instead of the default credential chain. */
  String profile();

  /** Access key instead of the default credential chain (with {@code secret_access_key}). */
  String accessKeyId();

  /** Its secret, best as {@code ${ENV}}. */
  String secretAccessKey();

  /** Validates these keys; throws {@link ConfigException} naming the offending one. */
  default AwsConnection connection() {
    return AwsConnection.of(region(), endpoint(), profile(), accessKeyId(), secretAccessKey());
  }
}

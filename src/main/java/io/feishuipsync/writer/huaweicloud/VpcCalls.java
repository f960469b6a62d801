package io.feishuipsync.writer.huaweicloud;

import io.feishuipsync.cloud.Backoff;
import io.feishuipsync.cloud.CloudCalls;
import io.feishuipsync.cloud.huaweicloud.VpcApi;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import java.util.Map;

/**
 * Runs VPC calls for a writer: waits out API Gateway's throttling ({@code APIGW.0308}, HTTP 429) with backoff, and
 * turns the service's answers into one line that says what to do (the IAM permission that is missing, the key to
 * check).
 */
final class VpcCalls {

  private static final CloudCalls.Service<VpcApi.Refusal> VPC = new CloudCalls.Service<>("VPC",
      VpcApi.Refusal.class, VpcCalls::code, VpcCalls::isThrottling);

  private VpcCalls() {}

  static CloudCalls<VpcApi.Refusal> of(String writer, Sleeper sleeper) {
    return new CloudCalls<>(writer, sleeper, VPC, new Failures());
  }

  static String code(VpcApi.Refusal r) {
    return r.code().isEmpty() ? "HTTP " + r.status() : r.code();
  }

  /** API Gateway's throttling answer, or a plain 429. */
  static boolean isThrottling(String code) {
    return code.equals("APIGW.0308") || code.equals("HTTP 429");
  }

  /** VPC's answers; a failure on the way (no network) says where to look. */
  private static final class Failures implements CloudCalls.Failures<VpcApi.Refusal> {

    /** The IAM action each call needs. */
    private static final Map<String, String> ACTIONS = Map.of("ListSecurityGroupRules",
        "vpc:securityGroupRules:get", "BatchCreateSecurityGroupRules", "vpc:securityGroupRules:create",
        "DeleteSecurityGroupRule", "vpc:securityGroupRules:delete", "ShowAddressGroup", "vpc:addressGroups:get",
        "UpdateAddressGroup", "vpc:addressGroups:update");

    @Override
    public String describe(String operation, VpcApi.Refusal e, String rawCode) {
      String code = Sanitize.text(rawCode, 64);
      String request = e.requestId() == null ? "" : ", request id " + Sanitize.text(e.requestId(), 128);
      if (e.status() == 401 || rawCode.startsWith("APIGW.030") && !isThrottling(rawCode) && e.status() != 403) {
        return operation + " was not accepted (" + code + "): check access_key and secret_key, or the credentials"
            + " the default chain found, and project_id" + request;
      }
      if (e.status() == 403) {
        return operation + " was refused (" + code + "): the credentials need the IAM permission "
            + ACTIONS.getOrDefault(operation, "vpc:*") + request;
      }
      if (isThrottling(rawCode)) {
        return operation + " is still throttled after " + Backoff.MAX_ATTEMPTS + " attempts (" + code + ")" + request;
      }
      return operation + " failed: " + code + ": " + Sanitize.text(String.valueOf(e.getMessage())) + request;
    }

    @Override
    public WriterException other(String writer, String operation, Exception e) {
      if (e instanceof VpcApi.Unreachable) {
        return new WriterException(writer, operation + " failed: " + Sanitize.text(e.getMessage())
            + "; check the region, endpoint and network", e);
      }
      return CloudCalls.Failures.super.other(writer, operation, e);
    }
  }
}

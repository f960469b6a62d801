package io.feishuipsync.writer.volcengine;

import com.fasterxml.jackson.databind.JsonNode;
import io.feishuipsync.cloud.Backoff;
import io.feishuipsync.cloud.CloudCalls;
import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import java.util.Map;
import java.util.Set;

/**
 * Runs one writer's calls to a Volcano Engine service: waits out throttling ({@code FlowLimitExceeded},
 * {@code Throttling*}, HTTP 429) and a resource busy with another change ({@code *InvalidStatus*}) with backoff, and
 * turns the service's answers into one line that says what to do.
 */
final class VolcCalls {

  private static final Set<String> UNSIGNED = Set.of("SignatureDoesNotMatch", "InvalidAccessKey",
      "InvalidCredential", "MissingAuthenticationToken", "InvalidAuthorization", "InvalidTimestamp");

  private final String writer;
  private final CloudCalls<VolcApi.Refusal> calls;
  private final Lazy<VolcApi, RuntimeException> api;

  VolcCalls(String writer, Sleeper sleeper, String service, Lazy<VolcApi, RuntimeException> api) {
    this.writer = writer;
    this.api = api;
    this.calls = new CloudCalls<>(writer, sleeper, new CloudCalls.Service<>(service.toUpperCase(
        java.util.Locale.ROOT), VolcApi.Refusal.class, VolcCalls::code, VolcCalls::retried), new Failures(service));
  }

  /** Runs {@code action} with {@code params}, waiting out throttling; returns its Result. */
  JsonNode call(String action, Map<String, String> params) throws WriterException {
    VolcApi a;
    try {
      a = api.get();
    } catch (RuntimeException e) {
      throw new WriterException(writer, Sanitize.text(e.getMessage()), e);
    }
    return calls.call(action, () -> a.call(action, params));
  }

  static String code(VolcApi.Refusal r) {
    return r.code.isEmpty() ? "HTTP " + r.status : r.code;
  }

  static boolean isThrottling(String code) {
    return code.contains("FlowLimitExceeded") || code.startsWith("Throttling") || code.equals("HTTP 429")
        || code.equals("RequestLimitExceeded");
  }

  private static boolean retried(String code) {
    return isThrottling(code) || code.contains("InvalidStatus");
  }

  /** The service's answers; a failure on the way says where to look. */
  private static final class Failures implements CloudCalls.Failures<VolcApi.Refusal> {

    private final String service;

    Failures(String service) {
      this.service = service;
    }

    @Override
    public String describe(String operation, VolcApi.Refusal e, String rawCode) {
      String code = Sanitize.text(rawCode, 64);
      String request = e.requestId == null ? "" : ", request id " + Sanitize.text(e.requestId, 128);
      if (UNSIGNED.contains(rawCode) || e.status == 401) {
        return operation + " was not accepted (" + code + "): check access_key_id and its secret_access_key"
            + request;
      }
      if (rawCode.equals("AccessDenied") || rawCode.startsWith("Forbidden") || e.status == 403) {
        return operation + " was refused (" + code + "): the credentials need the IAM action " + service + ":"
            + operation + request;
      }
      if (retried(rawCode)) {
        return operation + " is still " + (isThrottling(rawCode) ? "throttled" : "busy") + " after "
            + Backoff.MAX_ATTEMPTS + " attempts (" + code + ")" + request;
      }
      return operation + " failed: " + code + ": " + Sanitize.text(String.valueOf(e.getMessage())) + request;
    }

    @Override
    public WriterException other(String writer, String operation, Exception e) {
      if (e instanceof VolcApi.Unreachable) {
        return new WriterException(writer, operation + " failed: " + Sanitize.text(e.getMessage())
            + "; check the region, endpoint and network", e);
      }
      return CloudCalls.Failures.super.other(writer, operation, e);
    }
  }
}

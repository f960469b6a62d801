package io.feishuipsync.writer.aws;

import io.feishuipsync.cloud.Backoff;
import io.feishuipsync.cloud.CloudCalls;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * Runs EC2 calls for a writer: retries throttling with backoff, and turns AWS errors into one line that says what to
 * do (the IAM action that is missing, the group that does not exist).
 */
final class Ec2Calls {

  /** The IAM action each call needs, for the message when it is refused. */
  private static final Map<String, String> ACTIONS = Map.of(
      "DescribeSecurityGroupRules", "ec2:DescribeSecurityGroupRules",
      "DescribeSecurityGroups", "ec2:DescribeSecurityGroups",
      "AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress",
      "RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress",
      "DescribeManagedPrefixLists", "ec2:DescribeManagedPrefixLists",
      "GetManagedPrefixListEntries", "ec2:GetManagedPrefixListEntries",
      "ModifyManagedPrefixList", "ec2:ModifyManagedPrefixList");

  static final int MAX_ATTEMPTS = Backoff.MAX_ATTEMPTS;

  private static final CloudCalls.Service<Ec2Exception> EC2 =
      new CloudCalls.Service<>("EC2", Ec2Exception.class, Ec2Calls::code, Ec2Calls::isThrottling);

  private final CloudCalls<Ec2Exception> calls;

  Ec2Calls(String writer, Sleeper sleeper) {
    this.calls = new CloudCalls<>(writer, sleeper, EC2, new Failures());
  }

  <T> T call(String operation, Supplier<T> call) throws WriterException {
    return calls.call(operation, call::get);
  }

  /**
   * A paginated listing, collected afresh on each attempt: when a page is throttled the listing starts over from the
   * first page into a new list, so no item is counted twice.
   */
  <T> List<T> pages(String operation, Supplier<? extends Iterable<T>> listing) throws WriterException {
    return call(operation, () -> {
      List<T> out = new ArrayList<>();
      listing.get().forEach(out::add);
      return out;
    });
  }

  static String code(Ec2Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
        : e.awsErrorDetails().errorCode();
  }

  static boolean isThrottling(String code) {
    return code.equals("RequestLimitExceeded") || code.equals("Throttling") || code.equals("ThrottlingException");
  }

  /** EC2's answers; a client failure (no network, no credentials) says where to look. */
  private static final class Failures implements CloudCalls.Failures<Ec2Exception> {

    /** One line from AWS's answer; its code, message and request id are network text, so sanitized. */
    @Override
    public String describe(String operation, Ec2Exception e, String rawCode) {
      String code = Sanitize.text(rawCode, 64);
      String msg = Sanitize.text(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
      String request = e.requestId() == null ? "" : ", request id " + Sanitize.text(e.requestId(), 128);
      if (code.equals("UnauthorizedOperation") || code.equals("AccessDenied") || code.equals("AuthFailure")) {
        return operation + " was refused (" + code + "): the credentials need the IAM action "
            + ACTIONS.getOrDefault(operation, "ec2:" + operation) + request;
      }
      if (Ec2Calls.isThrottling(code)) {
        return operation + " is still throttled after " + MAX_ATTEMPTS + " attempts (" + code + ")" + request;
      }
      return operation + " failed: " + code + ": " + msg + request;
    }

    @Override
    public WriterException other(String writer, String operation, Exception e) {
      if (e instanceof SdkClientException) {
        return new WriterException(writer, operation + " failed: " + Sanitize.text(e.getMessage())
            + " (check the region, endpoint, network and credentials)", e);
      }
      return CloudCalls.Failures.super.other(writer, operation, e);
    }
  }
}
